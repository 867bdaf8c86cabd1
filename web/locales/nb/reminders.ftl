# Påminnelser om fristen, og postkøen for administratorer.
email-reminder-subject = Påminnelse: frist for «{ $hearing }»
email-reminder-body-organisation = { $organisation } er invitert til å gi høringssvar til «{ $hearing }» ({ $plan }), og vi har ikke fått svar fra dere ennå. Fristen er { $deadline }, { $days ->
    [0] altså i dag
    [one] altså i morgen
   *[other] om { $days } dager
}.
email-reminder-body-personal = Du er invitert til å gi høringssvar til «{ $hearing }» ({ $plan }), og vi har ikke fått svar fra deg ennå. Fristen er { $deadline }, { $days ->
    [0] altså i dag
    [one] altså i morgen
   *[other] om { $days } dager
}.
email-reminder-link = Gi høringssvaret her
email-reminder-contact = Har du spørsmål, kan du kontakte { $contact }.
email-reminder-ignore = Har dere allerede svart, kan du se bort fra denne påminnelsen.

reminders-heading = Påminnelser om fristen
reminders-explain = Inviterte som ikke har gitt høringssvar, får en e-post noen dager før fristen, kl. 09.00. En organisasjon har svart når en av representantene har svart.
reminders-field-days = Dager før fristen
reminders-help-days = Skriv tall skilt med komma, for eksempel 14, 3, 1. La feltet stå tomt for å slå av påminnelsene.
reminders-save = Lagre påminnelsene
reminders-none-planned = Ingen påminnelser er planlagt.
reminders-planned = Planlagte påminnelser
reminders-planned-item = { $days } { $days ->
    [one] dag
   *[other] dager
} før fristen: { $at }
reminders-planned-sent = sendt
reminders-invited = Inviterte
reminders-no-invited = Ingen er invitert gjennom gruppene til planen.
reminders-col-name = Navn
reminders-col-organisation = Organisasjon
reminders-col-status = Status
reminders-answered = Har svart
reminders-next = Får påminnelse { $at }
reminders-no-next = Ingen flere påminnelser
reminders-send-now = Send en påminnelse nå
reminders-send-now-help = Alle inviterte som ikke har svart, får en påminnelse med en gang. Det blir ført i loggen.
reminders-done-saved = Påminnelsene er lagret.
reminders-done-sent = { $count ->
    [0] Alle inviterte har svart, så ingen fikk påminnelse.
    [one] Én person får påminnelse nå.
   *[other] { $count } personer får påminnelse nå.
}
reminders-error-invalid_reminder_days = Skriv dagene som tall skilt med komma, for eksempel 14, 3, 1.
reminders-error-reminder_days_out_of_range = En påminnelse må være mellom 1 og 60 dager før fristen.
reminders-error-too_many_reminders = En høring kan ha høyst 6 påminnelser.
reminders-error-not_open = Påminnelser kan bare sendes mens høringen er åpen.
reminders-error-unavailable = Påminnelsene kunne ikke lagres eller sendes akkurat nå. Prøv igjen om litt.
change-reminded = Påminnelse sendt
change-reminders_changed = Påminnelsene endret

outbox-title = Postkø
outbox-explain = E-poster Samråd sender for kommunen. En e-post som ikke kom fram, blir prøvd på nytt etter en stund; blir den avvist for godt, står den under «Gitt opp».
outbox-forbidden = Bare administratorer i kommunen kan se postkøen.
outbox-queued = I kø
outbox-sent = Sendt
outbox-dead = Gitt opp
outbox-none = Ingen.
outbox-col-created = Lagt i kø
outbox-col-kind = Type
outbox-col-recipient = Til
outbox-col-attempts = Forsøk
outbox-col-error = Feil
outbox-col-sent = Sendt
outbox-col-next = Neste forsøk
outbox-retry = Prøv å sende på nytt
outbox-done-retried = E-posten er lagt i kø igjen.
outbox-error-not_found = Fant ingen e-post som er gitt opp med den id-en.

## How the municipality's emails are sent (administrators)
sender-title = Avsender for e-post
sender-explain = Slik ser e-posten fra { $municipality } ut for dem som får den. Et felt du lar stå tomt, får standardverdien til Samråd.
sender-forbidden = Bare administratorer i kommunen kan endre avsenderen for e-post.
sender-field-display-name = Navnet avsenderen har
sender-help-display-name = For eksempel «{ $municipality }, planavdelingen». Tomt: navnet på kommunen.
sender-field-from = Avsenderadresse
sender-help-from = Adressen e-posten sendes fra. Den må være en adresse e-postserveren får sende fra.
sender-field-reply-to = Svar går til
sender-help-reply-to = Hvis en plan ikke har egen kontaktperson, går svar på e-posten hit.
sender-field-base-url = Nettadressen til kommunen i Samråd
sender-help-base-url = Lenkene i e-posten starter med denne adressen, for eksempel https://horing.kommune.no.
sender-save = Lagre
sender-saved = Lagret. E-post som sendes fra nå av, bruker de nye innstillingene.
form-problem-invalid_web_address = Skriv en nettadresse som starter med https://, for eksempel https://horing.kommune.no.
