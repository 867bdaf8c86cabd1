# Support, edits, deletion, reports and moderation of comments.
comment-supporters = { $count ->
    [one] 1 person er enig
   *[other] { $count } personer er enige
}
comment-support = Jeg er enig
comment-unsupport = Trekk tilbake «jeg er enig»
comment-support-sign-in = Logg inn for å si at du er enig
comment-edited = endret { $time }
comment-history = Tidligere versjoner av kommentaren
comment-history-written = Skrevet { $time }
comment-edit = Endre kommentaren
comment-edit-body = Ny tekst
comment-edit-help = Du kan endre kommentaren i 15 minutter etter at du sendte den. Den tidligere teksten blir tatt vare på og vist.
comment-edit-submit = Lagre endringen
comment-delete = Slett kommentaren
comment-deleted = Kommentaren er slettet.
comment-hidden = Kommentaren er skjult av kommunen.
comment-pending-review = Kommentaren er skjult i påvente av vurdering.
comment-removed-author = en kommentar som ikke vises
comment-report = Meld fra om kommentaren
comment-report-reason = Hvorfor? (valgfritt)
comment-report-submit = Send meldingen
comment-done-supported = Du har sagt at du er enig.
comment-done-unsupported = Du har trukket tilbake «jeg er enig».
comment-done-edited = Kommentaren er endret.
comment-done-deleted = Kommentaren er slettet.
comment-done-reported = Takk. Kommunen ser på meldingen.
comment-done-confirmed = Takk! E-postadressen din er bekreftet, og innspillet ditt er lagt fram i høringen.
comment-error-forbidden = Du kan ikke gjøre dette med kommentaren.
comment-error-window = En kommentar kan bare endres i 15 minutter etter at den ble sendt.
comment-error-not-public = Kommentaren er slettet eller skjult.
comment-error-reason = Skriv en begrunnelse.
form-error-forbidden = Du har ikke tilgang til å kommentere denne høringen.
form-error-parent = Vi fant ikke kommentaren du svarer på i dette kapitlet, så svaret ble ikke lagret. Last inn siden på nytt og prøv igjen.
form-error-reason = Skriv en begrunnelse på høyst 2 000 tegn.
live-comment-supported = En kommentar har nå { $count } som er enige.
live-comment-edited = En kommentar ble endret.
live-comment-deleted = En kommentar ble slettet av forfatteren.
live-comment-hidden = En kommentar ble skjult.
live-comment-restored = En kommentar vises igjen.
moderation-title = Meldte og skjulte kommentarer
moderation-none = Ingen kommentarer er meldt eller skjult.
moderation-reports = { $count ->
    [one] 1 melding
   *[other] { $count } meldinger
}
moderation-status-published = Vist
moderation-status-hidden = Skjult av kommunen
moderation-status-pending_review = Skjult i påvente av vurdering
moderation-status-deleted = Slettet av forfatteren
moderation-no-reason = (ingen begrunnelse)
moderation-hide-reason = Begrunnelse for å skjule (sendes til forfatteren)
moderation-hide = Skjul kommentaren
moderation-restore = Vis kommentaren igjen
moderation-log = Logg over moderering
moderation-action-auto_hidden = Skjult etter meldinger
moderation-action-hidden = Skjult
moderation-action-restored = Vist igjen
moderation-done-hidden = Kommentaren er skjult, og forfatteren får beskjed.
moderation-done-restored = Kommentaren vises igjen.
email-input-hidden-subject = Kommentaren din er skjult: { $hearing }
email-input-hidden-body = Kommunen har skjult kommentaren din i høringen «{ $hearing }». Kommentaren er fortsatt tatt vare på og blir vurdert sammen med de andre innspillene.
email-input-hidden-reason = Begrunnelse:
email-input-hidden-link = Åpne høringen

# Asking before a comment is deleted.
comment-delete-title = Slette kommentaren?
comment-delete-ask = Vil du slette kommentaren? Den vises ikke lenger, og du kan ikke angre.
comment-delete-confirm = Ja, slett kommentaren
comment-delete-cancel = Nei, tilbake til høringen

# Choosing the passage a comment is about, sentence by sentence or with the mouse.
passage-picker-open = Kommenter et utdrag
passage-picker-title = Velg et utdrag fra { $section }
passage-picker-help = Gå gjennom teksten setning for setning med piltastene eller knappene. Velg «Start her» ved den første setningen du vil ha med, og «Slutt her» ved den siste. Velg så «Bruk utdraget».
passage-picker-sentence = Setning { $n } av { $count }: { $text }
passage-picker-chosen = Utdraget: { $text }
passage-picker-none = Du har ikke valgt noe utdrag ennå.
passage-picker-start-set = Utdraget starter ved setning { $n }.
passage-picker-end-set = Utdraget slutter ved setning { $n }.
passage-picker-too-long = Utdraget er for langt. Det kan være på høyst 1 000 tegn.
passage-picker-previous = Forrige setning
passage-picker-next = Neste setning
passage-picker-start = Start her
passage-picker-end = Slutt her
passage-picker-use = Bruk utdraget
passage-picker-cancel = Avbryt
passage-picker-cancelled = Du valgte ikke noe utdrag.
passage-comment-selection = Kommenter dette utdraget
comment-error-too-many = Det er sendt mange kommentarer fra denne adressen eller til denne e-postadressen nylig. Prøv igjen om en stund, eller logg inn.
comment-error-key-reused = Skjemaet kunne ikke sendes slik det er. Last siden på nytt og skriv kommentaren en gang til.
