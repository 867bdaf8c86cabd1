# Grensesnittet på bokmål.

site-name = Samråd
site-tagline = Høringer og medvirkning i kommunen
nav-skip = Hopp til hovedinnholdet
nav-main = Hovedmeny
nav-home = Høringer
nav-accessibility = Tilgjengelighet
lang-switch-label = Språk
lang-name-nn = Nynorsk
lang-name-nb = Bokmål
lang-name-en = English
footer-text = Samråd er fri programvare for offentlige høringer.

home-title = Åpne og kommende høringer
home-intro = Her kan du lese planer som er på høring og si din mening, del for del.
home-empty = Det er ingen åpne eller kommende høringer nå.
home-deadline = Frist: { $date }
home-state-open = Åpen for innspill
home-state-scheduled = Åpner { $date }
home-state-closed = Avsluttet

hearing-deadline = Høringsfrist: { $date }
hearing-days-left = { $days ->
    [0] Fristen er i dag.
    [one] Én dag igjen.
   *[other] { $days } dager igjen.
}
hearing-closed = Høringen er avsluttet. Innspill som kommer nå, blir merket som for sent innkommet.
hearing-not-open = Høringen er ikke åpen for innspill ennå.
hearing-plan = Plan: { $title } ({ $start }–{ $end })
hearing-document = Dokument
hearing-contents = Innhold
hearing-how-to = Velg en del av dokumentet og skriv kommentaren din under den. Du trenger ikke brukerkonto.
hearing-not-found = Fant ikke høringen.

section-comments = Kommentarer til { $number } { $title }
section-no-comments = Ingen kommentarer ennå.
comment-late = Kom inn etter fristen
comment-by = { $name } skrev
comment-form-title = Skriv en kommentar til { $number }
comment-form-name = Navnet ditt eller navnet på organisasjonen
comment-form-email = E-postadresse (valgfritt, vises ikke)
comment-form-body = Kommentar
comment-form-submit = Send kommentaren
comment-posted = Takk! Kommentaren din er mottatt.
comment-error = Kommentaren ble ikke sendt: { $message }

live-region-label = Nye kommentarer
live-status-connected = Nye kommentarer vises med en gang.
live-status-reconnecting = Mistet forbindelsen. Prøver på nytt …
live-pause = Sett varsel om nye kommentarer på pause
live-resume = Slå på varsel om nye kommentarer igjen
live-new-comment = Ny kommentar fra { $name } til { $section }.

a11y-title = Tilgjengelighetserklæring
a11y-intro = Samråd skal kunne brukes av alle, også med tastatur, skjermleser, forstørrelse og enkelt språk.
a11y-standard = Tjenesten er laget for å oppfylle WCAG 2.1 nivå AA. Hver side kontrolleres automatisk med axe-core i en ekte nettleser før en ny versjon tas i bruk.
a11y-keyboard = Alt kan gjøres med tastaturet. Bruk Tab for å gå videre og Enter for å velge. Lenken «Hopp til hovedinnholdet» er det første du kommer til.
a11y-live = Nye kommentarer leses opp av skjermleseren uten at du mister plassen din, og du kan sette det på pause.
a11y-known-issues = Kjente mangler: ingen er registrert. Finner du noe som ikke virker, vil vi gjerne høre om det.
a11y-contact = Kontakt kommunen som har høringen for å melde fra om feil. Du kan også klage til Tilsynet for universell utforming av ikt (uutilsynet.no).

error-title = Noe gikk galt
error-not-found = Fant ikke siden.
error-back-home = Gå til forsiden

form-error-name = Skriv navnet ditt (høyst 200 tegn).
form-error-email = E-postadressen ser ikke riktig ut. Du kan også la feltet stå tomt.
form-error-body = Skriv en kommentar (høyst 10 000 tegn).
form-error-not-open = Høringen tar ikke imot innspill nå.
form-error-unavailable = Vi klarte ikke å lagre kommentaren akkurat nå. Teksten din er tatt vare på her; prøv igjen om litt.
form-required = (må fylles ut)

feed-title = Høringer (Atom)
feed-link = Følg høringene med nyhetsstrøm (Atom)
municipality-title = Høringer i { $name }
municipality-current = Åpne og kommende høringer
municipality-past = Avsluttede høringer
hearing-opens = Høringen åpner { $date }.
hearing-calendar = Legg fristen i kalenderen din (iCalendar)
hearing-about = Hva saken gjelder
hearing-respond = Slik gir du innspill
hearing-contact-person = Kontaktperson: { $name } ({ $email })
