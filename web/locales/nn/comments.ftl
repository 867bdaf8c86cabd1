# Support, edits, deletion, reports and moderation of comments.
comment-supporters = { $count ->
    [one] 1 person er einig
   *[other] { $count } personar er einige
}
comment-support = Eg er einig
comment-unsupport = Trekk tilbake «eg er einig»
comment-support-sign-in = Logg inn for å seie at du er einig
comment-edited = endra { $time }
comment-history = Tidlegare versjonar av kommentaren
comment-history-written = Skrive { $time }
comment-edit = Endre kommentaren
comment-edit-body = Ny tekst
comment-edit-help = Du kan endre kommentaren i 15 minutt etter at du sende han. Den tidlegare teksten blir teken vare på og vist.
comment-edit-submit = Lagre endringa
comment-delete = Slett kommentaren
comment-deleted = Kommentaren er sletta.
comment-hidden = Kommentaren er skjult av kommunen.
comment-pending-review = Kommentaren er skjult i påvente av vurdering.
comment-removed-author = ein kommentar som ikkje blir vist
comment-report = Meld frå om kommentaren
comment-report-reason = Kvifor? (valfritt)
comment-report-submit = Send meldinga
comment-done-supported = Du har sagt at du er einig.
comment-done-unsupported = Du har trekt tilbake «eg er einig».
comment-done-edited = Kommentaren er endra.
comment-done-deleted = Kommentaren er sletta.
comment-done-reported = Takk. Kommunen ser på meldinga.
comment-done-confirmed = Takk! E-postadressa di er stadfesta, og innspelet ditt er lagt fram i høyringa.
comment-error-forbidden = Du kan ikkje gjere dette med kommentaren.
comment-error-window = Ein kommentar kan berre endrast i 15 minutt etter at han vart send.
comment-error-not-public = Kommentaren er sletta eller skjult.
comment-error-reason = Skriv ei grunngjeving.
form-error-forbidden = Du har ikkje tilgang til å kommentere denne høyringa.
form-error-parent = Vi fann ikkje kommentaren du svarar på i dette kapitlet, så svaret vart ikkje lagra. Last inn sida på nytt og prøv igjen.
form-error-reason = Skriv ei grunngjeving på høgst 2 000 teikn.
live-comment-supported = Ein kommentar har no { $count } som er einige.
live-comment-edited = Ein kommentar vart endra.
live-comment-deleted = Ein kommentar vart sletta av forfattaren.
live-comment-hidden = Ein kommentar vart skjult.
live-comment-restored = Ein kommentar blir vist igjen.
moderation-title = Melde og skjulte kommentarar
moderation-none = Ingen kommentarar er melde eller skjulte.
moderation-reports = { $count ->
    [one] 1 melding
   *[other] { $count } meldingar
}
moderation-status-published = Vist
moderation-status-hidden = Skjult av kommunen
moderation-status-pending_review = Skjult i påvente av vurdering
moderation-status-deleted = Sletta av forfattaren
moderation-no-reason = (inga grunngjeving)
moderation-hide-reason = Grunngjeving for å skjule (blir send til forfattaren)
moderation-hide = Skjul kommentaren
moderation-restore = Vis kommentaren igjen
moderation-log = Logg over moderering
moderation-action-auto_hidden = Skjult etter meldingar
moderation-action-hidden = Skjult
moderation-action-restored = Vist igjen
moderation-done-hidden = Kommentaren er skjult, og forfattaren får beskjed.
moderation-done-restored = Kommentaren blir vist igjen.
email-input-hidden-subject = Kommentaren din er skjult: { $hearing }
email-input-hidden-body = Kommunen har skjult kommentaren din i høyringa «{ $hearing }». Kommentaren er framleis teken vare på og blir vurdert saman med dei andre innspela.
email-input-hidden-reason = Grunngjeving:
email-input-hidden-link = Opne høyringa

# Asking before a comment is deleted.
comment-delete-title = Slette kommentaren?
comment-delete-ask = Vil du slette kommentaren? Han blir ikkje vist meir, og du kan ikkje angre.
comment-delete-confirm = Ja, slett kommentaren
comment-delete-cancel = Nei, tilbake til høyringa

# Choosing the passage a comment is about, sentence by sentence or with the mouse.
passage-picker-open = Kommenter eit utdrag
passage-picker-title = Vel eit utdrag frå { $section }
passage-picker-help = Gå gjennom teksten setning for setning med piltastane eller knappane. Vel «Start her» ved den første setninga du vil ha med, og «Slutt her» ved den siste. Vel så «Bruk utdraget».
passage-picker-sentence = Setning { $n } av { $count }: { $text }
passage-picker-chosen = Utdraget: { $text }
passage-picker-none = Du har ikkje valt noko utdrag enno.
passage-picker-start-set = Utdraget startar ved setning { $n }.
passage-picker-end-set = Utdraget sluttar ved setning { $n }.
passage-picker-too-long = Utdraget er for langt. Det kan vere på høgst 1 000 teikn.
passage-picker-previous = Førre setning
passage-picker-next = Neste setning
passage-picker-start = Start her
passage-picker-end = Slutt her
passage-picker-use = Bruk utdraget
passage-picker-cancel = Avbryt
passage-picker-cancelled = Du valde ikkje noko utdrag.
passage-comment-selection = Kommenter dette utdraget
comment-error-too-many = Det er sendt mange kommentarar frå denne adressa eller til denne e-postadressa nyleg. Prøv igjen om ei stund, eller logg inn.
comment-error-key-reused = Skjemaet kunne ikkje sendast slik det er. Last sida på nytt og skriv kommentaren ein gong til.
