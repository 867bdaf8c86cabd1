# Workshops (arbeidsmøte): letters, the workshop pages, the group page.

email-workshop-when = Tid: { $starts }–{ $ends }
email-workshop-where = Stad: { $address }
email-workshop-online = Nettmøte: { $link }
email-workshop-agenda = Sakliste:
workshop-feature-step-free = Trinnfri tilkomst
workshop-feature-hearing-loop = Teleslynge
workshop-feature-parking = Parkering
workshop-feature-interpreter = Tolk etter avtale
email-workshop-invitation-subject = Invitasjon: { $workshop }
email-workshop-invitation-body = Du er invitert til arbeidsmøtet «{ $workshop }» om { $plan }.
email-workshop-update-subject = Endra: { $workshop }
email-workshop-update-body = Arbeidsmøtet «{ $workshop }» om { $plan } er endra. Her er det som gjeld no.
email-workshop-answer = Svar ja, nei eller kanskje, og sei frå om kva du treng for å vere med: mat, tilrettelegging, tolk eller assistent.
email-workshop-link = Opne arbeidsmøtet
email-workshop-calendar = Møtet ligg ved som kalenderfil, så du kan leggje det inn i kalenderen din.
email-workshop-cancelled-subject = Avlyst: { $workshop }
email-workshop-cancelled-body = Arbeidsmøtet «{ $workshop }» om { $plan } { $starts } er avlyst.
email-workshop-cancelled-calendar = Kalenderfila som ligg ved, tek møtet ut av kalenderen din.
email-workshop-reminder-subject = Påminning: { $workshop }
email-workshop-reminder-body = Om { $hours } timar er det arbeidsmøte: «{ $workshop }» om { $plan }.
email-workshop-reminder-waiting = Du står på ventelista. Vi seier frå om du får plass.
email-workshop-reminder-change = Kan du likevel ikkje kome? Endre svaret ditt, så kan nokon andre få plassen.
email-workshop-seat-subject = Du har fått plass: { $workshop }
email-workshop-seat-body = Ein plass vart ledig. Du stod på ventelista og har no fått plass på arbeidsmøtet «{ $workshop }» om { $plan }.
