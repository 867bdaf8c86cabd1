# Publishing the assessments of a hearing, and what participants see of them.
email-assessed-subject = Korleis innspela dine vart vurderte: «{ $hearing }»
email-assessed-body = Kommunen har vurdert innspela du gav til «{ $hearing }» ({ $plan }). Her er kva vi kom fram til.
email-assessed-input = Du skreiv:
email-assessed-outcome = Konklusjon: { $outcome }
email-assessed-response = Svar frå kommunen: { $response }
email-assessed-link = Sjå høyringa og vurderingane
assessment-public-heading = Vurderinga til kommunen
assessment-public-outcome = Konklusjon
assessment-public-response = Svar frå kommunen
publish-heading = Publiser vurderingane
publish-explain = Alle kontrollerte vurderingar blir synlege ved innspela på høyringssida, og kvar deltakar får éin e-post om korleis innspela deira vart vurderte.
publish-button = Publiser dei kontrollerte vurderingane
publish-confirm-title = Nokre innspel er ikkje kontrollerte
publish-confirm-explain = { $count ->
    [one] Eitt innspel er ikkje kontrollert og blir ikkje publisert no:
   *[other] { $count } innspel er ikkje kontrollerte og blir ikkje publiserte no:
}
publish-confirm-item = Innspel nr. { $number } ({ $state })
publish-confirm-button = Publiser dei kontrollerte likevel
publish-cancel = Avbryt og gå tilbake
publish-done = { $count ->
    [one] Éi vurdering er publisert.
   *[other] { $count } vurderingar er publiserte.
} { $emails ->
    [one] Éin e-post er sendt til deltakarane.
   *[other] { $emails } e-postar er sende til deltakarane.
}
