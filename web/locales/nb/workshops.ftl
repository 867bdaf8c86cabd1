# Workshops (arbeidsmøte): letters, the workshop pages, the group page.

email-workshop-when = Tid: { $starts }–{ $ends }
email-workshop-where = Sted: { $address }
email-workshop-online = Nettmøte: { $link }
email-workshop-agenda = Saksliste:
workshop-feature-step-free = Trinnfri adkomst
workshop-feature-hearing-loop = Teleslynge
workshop-feature-parking = Parkering
workshop-feature-interpreter = Tolk etter avtale
email-workshop-invitation-subject = Invitasjon: { $workshop }
email-workshop-invitation-body = Du er invitert til arbeidsmøtet «{ $workshop }» om { $plan }.
email-workshop-update-subject = Endret: { $workshop }
email-workshop-update-body = Arbeidsmøtet «{ $workshop }» om { $plan } er endret. Her er det som gjelder nå.
email-workshop-answer = Svar ja, nei eller kanskje, og si fra om hva du trenger for å være med: mat, tilrettelegging, tolk eller assistent.
email-workshop-link = Åpne arbeidsmøtet
email-workshop-calendar = Møtet ligger ved som kalenderfil, så du kan legge det inn i kalenderen din.
email-workshop-cancelled-subject = Avlyst: { $workshop }
email-workshop-cancelled-body = Arbeidsmøtet «{ $workshop }» om { $plan } { $starts } er avlyst.
email-workshop-cancelled-calendar = Kalenderfilen som ligger ved, tar møtet ut av kalenderen din.
email-workshop-reminder-subject = Påminnelse: { $workshop }
email-workshop-reminder-body = Om { $hours } timer er det arbeidsmøte: «{ $workshop }» om { $plan }.
email-workshop-reminder-waiting = Du står på ventelisten. Vi sier fra om du får plass.
email-workshop-reminder-change = Kan du likevel ikke komme? Endre svaret ditt, så kan noen andre få plassen.
email-workshop-seat-subject = Du har fått plass: { $workshop }
email-workshop-seat-body = En plass ble ledig. Du sto på ventelisten og har nå fått plass på arbeidsmøtet «{ $workshop }» om { $plan }.
