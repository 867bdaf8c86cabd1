# Grensesnittet på nynorsk (standardspråket).

site-name = Samråd
site-tagline = Høyringar og medverknad i kommunen
nav-skip = Hopp til hovudinnhaldet
nav-main = Hovudmeny
nav-home = Høyringar
nav-accessibility = Tilgjengelegheit
lang-switch-label = Språk
lang-name-nn = Nynorsk
lang-name-nb = Bokmål
lang-name-en = English
footer-text = Samråd er fri programvare for offentlege høyringar.

home-title = Opne og komande høyringar
home-intro = Her kan du lese planar som er på høyring og seie meininga di, del for del.
home-empty = Det er ingen opne eller komande høyringar no.
home-deadline = Frist: { $date }
home-state-open = Open for innspel
home-state-scheduled = Opnar { $date }
home-state-closed = Avslutta

hearing-deadline = Høyringsfrist: { $date }
hearing-days-left = { $days ->
    [0] Fristen er i dag.
    [one] Éin dag att.
   *[other] { $days } dagar att.
}
hearing-closed = Høyringa er avslutta. Innspel som kjem no, blir merka som for seint komne.
hearing-not-open = Høyringa er ikkje open for innspel enno.
hearing-plan = Plan: { $title } ({ $start }–{ $end })
hearing-document = Dokument
hearing-contents = Innhald
hearing-how-to = Vel ein del av dokumentet og skriv kommentaren din under han. Du treng ikkje brukarkonto.
hearing-not-found = Fann ikkje høyringa.

section-comments = Kommentarar til { $number } { $title }
section-no-comments = Ingen kommentarar enno.
comment-late = Kom inn etter fristen
comment-by = { $name } skreiv
comment-form-title = Skriv ein kommentar til { $number }
comment-form-name = Namnet ditt eller namnet på organisasjonen
comment-form-email = E-postadresse (valfritt, blir ikkje vist)
comment-form-body = Kommentar
comment-form-submit = Send kommentaren
comment-posted = Takk! Kommentaren din er motteken.
comment-error = Kommentaren vart ikkje send: { $message }

live-region-label = Nye kommentarar
live-status-connected = Nye kommentarar blir viste med ein gong.
live-status-reconnecting = Mista sambandet. Prøver på nytt …
live-pause = Set varsel om nye kommentarar på pause
live-resume = Slå på varsel om nye kommentarar att
live-new-comment = Ny kommentar frå { $name } til { $section }.

a11y-title = Tilgjengelegheitserklæring
a11y-intro = Samråd skal kunne brukast av alle, også med tastatur, skjermlesar, forstørring og enkelt språk.
a11y-standard = Tenesta er laga for å oppfylle WCAG 2.1 nivå AA. Kvar side blir kontrollert automatisk med axe-core i ein ekte nettlesar før ei ny utgåve blir teken i bruk.
a11y-keyboard = Alt kan gjerast med tastaturet. Bruk Tab for å gå vidare og Enter for å velje. Lenkja «Hopp til hovudinnhaldet» er det første du kjem til.
a11y-live = Nye kommentarar blir lesne opp av skjermlesaren utan at du mistar plassen din, og du kan setje det på pause.
a11y-known-issues = Kjende manglar: ingen er registrerte. Finn du noko som ikkje verkar, vil vi gjerne høyre om det.
a11y-contact = Kontakt kommunen som har høyringa for å melde frå om feil. Du kan òg klage til Tilsynet for universell utforming av ikt (uutilsynet.no).

error-title = Noko gjekk gale
error-not-found = Fann ikkje sida.
error-back-home = Gå til framsida

form-error-name = Skriv namnet ditt (høgst 200 teikn).
form-error-email = E-postadressa ser ikkje rett ut. Du kan også la feltet stå tomt.
form-error-body = Skriv ein kommentar (høgst 10 000 teikn).
form-error-not-open = Høyringa tek ikkje imot innspel no.
form-error-unavailable = Vi klarte ikkje å lagre kommentaren akkurat no. Teksten din er teken vare på her; prøv igjen om litt.
form-required = (må fyllast ut)

feed-title = Høyringar (Atom)
feed-link = Følg høyringane med nyheitsstraum (Atom)
municipality-title = Høyringar i { $name }
municipality-current = Opne og komande høyringar
municipality-past = Avslutta høyringar
hearing-opens = Høyringa opnar { $date }.
hearing-calendar = Legg fristen i kalenderen din (iCalendar)
hearing-about = Kva saka gjeld
hearing-respond = Slik gir du innspel
hearing-contact-person = Kontaktperson: { $name } ({ $email })
