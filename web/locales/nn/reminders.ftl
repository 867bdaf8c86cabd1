# Påminningar om fristen, og postkøa for administratorar.
email-reminder-subject = Påminning: frist for «{ $hearing }»
email-reminder-body-organisation = { $organisation } er invitert til å gi høyringssvar til «{ $hearing }» ({ $plan }), og vi har ikkje fått svar frå dykk enno. Fristen er { $deadline }, { $days ->
    [0] altså i dag
    [one] altså i morgon
   *[other] om { $days } dagar
}.
email-reminder-body-personal = Du er invitert til å gi høyringssvar til «{ $hearing }» ({ $plan }), og vi har ikkje fått svar frå deg enno. Fristen er { $deadline }, { $days ->
    [0] altså i dag
    [one] altså i morgon
   *[other] om { $days } dagar
}.
email-reminder-link = Gi høyringssvaret her
email-reminder-contact = Har du spørsmål, kan du kontakte { $contact }.
email-reminder-ignore = Har de alt svart, kan du sjå bort frå denne påminninga.

reminders-heading = Påminningar om fristen
reminders-explain = Inviterte som ikkje har gitt høyringssvar, får ein e-post nokre dagar før fristen, kl. 09.00. Ein organisasjon har svart når ein av representantane har svart.
reminders-field-days = Dagar før fristen
reminders-help-days = Skriv tal skilde med komma, til dømes 14, 3, 1. La feltet stå tomt for å slå av påminningane.
reminders-save = Lagre påminningane
reminders-none-planned = Ingen påminningar er planlagde.
reminders-planned = Planlagde påminningar
reminders-planned-item = { $days } { $days ->
    [one] dag
   *[other] dagar
} før fristen: { $at }
reminders-planned-sent = sendt
reminders-invited = Inviterte
reminders-no-invited = Ingen er inviterte gjennom gruppene til planen.
reminders-col-name = Namn
reminders-col-organisation = Organisasjon
reminders-col-status = Status
reminders-answered = Har svart
reminders-next = Får påminning { $at }
reminders-no-next = Ingen fleire påminningar
reminders-send-now = Send ei påminning no
reminders-send-now-help = Alle inviterte som ikkje har svart, får ei påminning med ein gong. Det blir ført i loggen.
reminders-done-saved = Påminningane er lagra.
reminders-done-sent = { $count ->
    [0] Alle inviterte har svart, så ingen fekk påminning.
    [one] Éin person får påminning no.
   *[other] { $count } personar får påminning no.
}
reminders-error-invalid_reminder_days = Skriv dagane som tal skilde med komma, til dømes 14, 3, 1.
reminders-error-reminder_days_out_of_range = Ei påminning må vere mellom 1 og 60 dagar før fristen.
reminders-error-too_many_reminders = Ei høyring kan ha høgst 6 påminningar.
reminders-error-not_open = Påminningar kan berre sendast medan høyringa er open.
reminders-error-unavailable = Påminningane kunne ikkje lagrast eller sendast akkurat no. Prøv igjen om litt.
change-reminded = Påminning send
change-reminders_changed = Påminningane endra

outbox-title = Postkø
outbox-explain = E-postar Samråd sender for kommunen. Ein e-post som ikkje kom fram, blir prøvd på nytt etter ei stund; blir han avvist for godt, står han under «Gitt opp».
outbox-forbidden = Berre administratorar i kommunen kan sjå postkøa.
outbox-queued = I kø
outbox-sent = Sende
outbox-dead = Gitt opp
outbox-none = Ingen.
outbox-col-created = Lagd i kø
outbox-col-kind = Slag
outbox-col-recipient = Til
outbox-col-attempts = Forsøk
outbox-col-error = Feil
outbox-col-sent = Sendt
outbox-col-next = Neste forsøk
outbox-retry = Prøv å sende på nytt
outbox-done-retried = E-posten er lagd i kø igjen.
outbox-error-not_found = Fann ingen e-post som er gitt opp med den id-en.

## How the municipality's emails are sent (administrators)
sender-title = Avsendar for e-post
sender-explain = Slik ser e-posten frå { $municipality } ut for dei som får han. Eit felt du lèt stå tomt, får standardverdien til Samråd.
sender-forbidden = Berre administratorar i kommunen kan endre avsendaren for e-post.
sender-field-display-name = Namnet avsendaren har
sender-help-display-name = Til dømes «{ $municipality }, planavdelinga». Tomt: namnet på kommunen.
sender-field-from = Avsendaradresse
sender-help-from = Adressa e-posten blir send frå. Ho må vere ei adresse e-posttenaren får sende frå.
sender-field-reply-to = Svar går til
sender-help-reply-to = Dersom ein plan ikkje har eigen kontaktperson, går svar på e-posten hit.
sender-field-base-url = Nettadressa til kommunen i Samråd
sender-help-base-url = Lenkjene i e-posten startar med denne adressa, til dømes https://hoyring.kommune.no.
sender-save = Lagre
sender-saved = Lagra. E-post som blir send frå no av, brukar dei nye innstillingane.
form-problem-invalid_web_address = Skriv ei nettadresse som startar med https://, til dømes https://hoyring.kommune.no.
