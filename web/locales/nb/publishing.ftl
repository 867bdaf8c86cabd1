# Publishing the assessments of a hearing, and what participants see of them.
email-assessed-subject = Slik ble innspillene dine vurdert: «{ $hearing }»
email-assessed-body = Kommunen har vurdert innspillene du ga til «{ $hearing }» ({ $plan }). Her er hva vi kom fram til.
email-assessed-input = Du skrev:
email-assessed-outcome = Konklusjon: { $outcome }
email-assessed-response = Svar fra kommunen: { $response }
email-assessed-link = Se høringen og vurderingene
assessment-public-heading = Kommunens vurdering
assessment-public-outcome = Konklusjon
assessment-public-response = Svar fra kommunen
publish-heading = Publiser vurderingene
publish-explain = Alle kontrollerte vurderinger blir synlige ved innspillene på høringssiden, og hver deltaker får én e-post om hvordan innspillene deres ble vurdert.
publish-button = Publiser de kontrollerte vurderingene
publish-confirm-title = Noen innspill er ikke kontrollert
publish-confirm-explain = { $count ->
    [one] Ett innspill er ikke kontrollert og blir ikke publisert nå:
   *[other] { $count } innspill er ikke kontrollert og blir ikke publisert nå:
}
publish-confirm-item = Innspill nr. { $number } ({ $state })
publish-confirm-button = Publiser de kontrollerte likevel
publish-cancel = Avbryt og gå tilbake
publish-done = { $count ->
    [one] Én vurdering er publisert.
   *[other] { $count } vurderinger er publisert.
} { $emails ->
    [one] Én e-post er sendt til deltakerne.
   *[other] { $emails } e-poster er sendt til deltakerne.
}
