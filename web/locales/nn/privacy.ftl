## Personvern: innspel utan konto, mi side, nedlasting og sletting.

nav-me = Mi side
comment-author-removed = Namn fjerna
comment-anonymised = Anonymisert
comment-form-email-required = E-postadresse (blir ikkje vist)
comment-form-confirm-help = Vi sender deg ei lenkje. Kommentaren blir lagd fram i høyringa når du har opna lenkja og stadfesta.
comment-form-as = Du skriv som { $name }.
comment-form-as-link = Endre namnet på mi side
comment-pending = Takk! Sjå i innboksen din: Vi har sendt deg ei lenkje. Kommentaren blir lagd fram når du har stadfesta han.
form-error-email-invalid = E-postadressa ser ikkje rett ut. Sjekk ho, så vi kan sende deg lenkja.
form-error-email-required = Skriv e-postadressa di, så vi kan sende deg ei lenkje for å stadfeste innspelet.
reply-form-email = E-postadressa di (blir ikkje vist)

confirm-input-title = Stadfest innspelet ditt
confirm-input-intro = Trykk på knappen for å stadfeste e-postadressa di. Då blir innspelet ditt lagt fram i høyringa, og du blir logga inn.
confirm-input-button = Stadfest og legg fram
confirm-input-failed-title = Lenkja verkar ikkje lenger
confirm-input-failed = Lenkja er brukt, for gammal eller ikkje gyldig. Har du alt stadfesta, er innspelet lagt fram. Innspel som ikkje blir stadfesta innan sju dagar, blir sletta.
confirm-input-failed-back = Til forsida

me-title = Mi side
me-intro = Her ser du kva Samråd har lagra om deg, og alt du har skrive.
me-confirmed = { $count ->
    [one] Takk! Innspelet ditt er stadfesta og lagt fram.
   *[other] Takk! { $count } innspel er stadfesta og lagde fram.
}
me-confirmed-none = Takk! E-postadressa di er stadfesta.
me-profile = Om deg
me-field-name = Namn
me-field-email = E-postadresse
me-field-lang = Språk for e-post og sider
me-email-help = E-postadressa kan du ikkje endre her. Vil du bruke ei anna, logg inn med henne.
me-save = Lagre
me-saved = Endringane er lagra.
me-error-name = Skriv namnet ditt (høgst 200 teikn, utan linjeskift).
me-error-lang = Vel nynorsk, bokmål eller engelsk.
me-groups = Gruppene dine
me-no-groups = Du er ikkje med i nokon gruppe.
me-col-group = Gruppe
me-col-plan = Plan
me-col-role = Rolle
me-role-member = Medlem
me-role-chair = Leiar
me-role-organisation_representative = Representant for { $organisation }
me-plans = Planar du tek del i
me-no-plans = Du tek ikkje del i nokon plan enno.
me-hearings = Opne høyringar du kan gi innspel til
me-no-hearings = Ingen høyringar er opne no.
me-hearing-invited = for inviterte
me-inputs = Innspela dine
me-no-inputs = Du har ikkje skrive noko innspel enno.
me-col-hearing = Høyring
me-col-section = Kapittel
me-col-status = Status
me-col-date = Dato
me-col-text = Innspel
me-status-published = Lagt fram
me-status-unconfirmed = Ventar på at du stadfestar e-postadressa
me-privacy = Personvern
me-privacy-intro = Du kan laste ned alt vi har lagra om deg, og du kan be om å bli sletta.
me-export = Last ned alt vi har lagra om deg (JSON)
me-delete-link = Be om å bli sletta

delete-title = Slett meg
delete-intro = Når du ber om å bli sletta, skjer dette med ein gong:
delete-what-inputs = Innspela dine blir ståande i høyringane, fordi dei er ein del av saksgrunnlaget. Namnet ditt blir fjerna frå dei overalt.
delete-what-unconfirmed = Innspel du ikkje har stadfesta, blir sletta.
delete-what-account = Namnet og e-postadressa di blir fjerna, og du blir logga ut. Medlemskap i grupper, invitasjonar og roller blir sletta.
delete-what-emails = E-postar til deg som ikkje er sende enno, blir stoppa.
delete-what-again = Vil du bruke Samråd seinare, startar du på nytt.
delete-export-first = Vil du ha ein kopi først?
delete-confirm-label = Eg forstår at slettinga ikkje kan angrast.
delete-button = Slett meg no
delete-error-confirm = Kryss av for at du forstår at slettinga ikkje kan angrast.
delete-cancel = Nei, tilbake til mi side
deleted-title = Du er sletta
deleted-text = Namnet og e-postadressa di er fjerna, og du er logga ut. Innspela dine står att i høyringane utan namn.

planner-inputs = Innspel
planner-no-inputs = Ingen innspel er lagde fram enno.
planner-col-section = Kapittel
planner-col-author = Frå
planner-col-date = Motteke
planner-col-input = Innspel
planner-anonymised-help = Anonymisert: personen bad om å bli sletta. Teksten står att, namnet er fjerna.

email-confirm-input-subject = Stadfest innspelet ditt: { $hearing }
email-confirm-input-body = Takk for innspelet ditt til høyringa «{ $hearing }». Du skreiv:
email-confirm-input-link = Opne lenkja under og trykk på knappen for å stadfeste e-postadressa di. Då blir innspelet lagt fram i høyringa. Lenkja verkar éin gong og i { $hours } timar.
email-confirm-input-ignore = Har du ikkje skrive dette, kan du sjå bort frå e-posten. Innspelet blir sletta etter sju dagar.
me-responses = Høyringssvar
me-no-responses = Verken du eller organisasjonar du representerer har sendt høyringssvar.
me-col-from = Frå
me-col-versions = Versjonar
me-response-version = Versjon { $version }, { $date }, av { $name }

## Which emails a person receives, and the one-click link that stops one kind

me-emails = E-post du får
me-emails-help = Lenker for å logge inn, stadfestingar, kvitteringar og invitasjonar sender vi alltid. Resten vel du sjølv.
me-emails-legend = Send meg e-post om
me-emails-save = Lagre e-postvala
me-emails-saved = E-postvala dine er lagra.
me-error-email-kind = Vel mellom typane av e-post i lista.
email-kind-comment-notice = nye innspel til planar du er kontaktperson for
email-kind-deadline-extended = endra fristar i høyringar du er med i
email-kind-deadline-reminder = påminningar før ein frist
email-kind-input-hidden = innspel frå deg som ein planleggjar har skjult
email-kind-hearing-opened = når ei høyring opnar i ein plan du er med i
email-kind-hearing-closed = når ei høyring du er med i, blir avslutta
email-kind-comment-reply = svar på kommentarane dine
email-kind-response-notice = nye høyringssvar til planar du er kontaktperson for
email-kind-inputs-assessed = korleis kommunen vurderte innspela dine
unsubscribe-title = Stopp e-post
unsubscribe-intro = Vil du slutte å få denne e-posten?
unsubscribe-button = Stopp denne e-posten
unsubscribe-done-title = E-posten er stoppa
unsubscribe-done = Vi sender deg ikkje lenger e-post om dette:
unsubscribe-other = Berre denne typen e-post er stoppa. Du kan endre kva e-post du får på sida di når du er logga inn.
unsubscribe-me-link = Gå til sida di
unsubscribe-unknown-title = Lenkja er ikkje gyldig
unsubscribe-unknown = Denne lenkja for å stoppe e-post er ikkje gyldig, og ingenting er endra. Sjekk at du fekk med heile lenkja, eller endre e-postvala på sida di.

me-letters = Brev og e-post du har sendt
me-letters-help = Brev og e-post frå deg som kommunen har registrert som innspel til ein plan. Når kommunen har publisert vurderinga si, står ho her.
me-col-number = Nr.
me-col-received = Motteke
