## Personvern: innspill uten konto, min side, nedlasting og sletting.

nav-me = Min side
comment-author-removed = Navn fjernet
comment-anonymised = Anonymisert
comment-form-email-required = E-postadresse (vises ikke)
comment-form-confirm-help = Vi sender deg en lenke. Kommentaren legges fram i høringen når du har åpnet lenken og bekreftet.
comment-form-as = Du skriver som { $name }.
comment-form-as-link = Endre navnet på min side
comment-pending = Takk! Se i innboksen din: Vi har sendt deg en lenke. Kommentaren legges fram når du har bekreftet den.
form-error-email-invalid = E-postadressen ser ikke riktig ut. Sjekk den, så vi kan sende deg lenken.
form-error-email-required = Skriv e-postadressen din, så vi kan sende deg en lenke for å bekrefte innspillet.
reply-form-email = E-postadressen din (vises ikke)

confirm-input-title = Bekreft innspillet ditt
confirm-input-intro = Trykk på knappen for å bekrefte e-postadressen din. Da legges innspillet ditt fram i høringen, og du blir logget inn.
confirm-input-button = Bekreft og legg fram
confirm-input-failed-title = Lenken virker ikke lenger
confirm-input-failed = Lenken er brukt, for gammel eller ikke gyldig. Har du allerede bekreftet, er innspillet lagt fram. Innspill som ikke bekreftes innen sju dager, slettes.
confirm-input-failed-back = Til forsiden

me-title = Min side
me-intro = Her ser du hva Samråd har lagret om deg, og alt du har skrevet.
me-confirmed = { $count ->
    [one] Takk! Innspillet ditt er bekreftet og lagt fram.
   *[other] Takk! { $count } innspill er bekreftet og lagt fram.
}
me-confirmed-none = Takk! E-postadressen din er bekreftet.
me-profile = Om deg
me-field-name = Navn
me-field-email = E-postadresse
me-field-lang = Språk for e-post og sider
me-email-help = E-postadressen kan du ikke endre her. Vil du bruke en annen, logg inn med den.
me-save = Lagre
me-saved = Endringene er lagret.
me-error-name = Skriv navnet ditt (høyst 200 tegn, uten linjeskift).
me-error-lang = Velg nynorsk, bokmål eller engelsk.
me-groups = Gruppene dine
me-no-groups = Du er ikke med i noen gruppe.
me-col-group = Gruppe
me-col-plan = Plan
me-col-role = Rolle
me-role-member = Medlem
me-role-chair = Leder
me-role-organisation_representative = Representant for { $organisation }
me-plans = Planer du deltar i
me-no-plans = Du deltar ikke i noen plan ennå.
me-hearings = Åpne høringer du kan gi innspill til
me-no-hearings = Ingen høringer er åpne nå.
me-hearing-invited = for inviterte
me-inputs = Innspillene dine
me-no-inputs = Du har ikke skrevet noe innspill ennå.
me-col-hearing = Høring
me-col-section = Kapittel
me-col-status = Status
me-col-date = Dato
me-col-text = Innspill
me-status-published = Lagt fram
me-status-unconfirmed = Venter på at du bekrefter e-postadressen
me-privacy = Personvern
me-privacy-intro = Du kan laste ned alt vi har lagret om deg, og du kan be om å bli slettet.
me-export = Last ned alt vi har lagret om deg (JSON)
me-delete-link = Be om å bli slettet

delete-title = Slett meg
delete-intro = Når du ber om å bli slettet, skjer dette med en gang:
delete-what-inputs = Innspillene dine blir stående i høringene, fordi de er en del av saksgrunnlaget. Navnet ditt fjernes fra dem overalt.
delete-what-unconfirmed = Innspill du ikke har bekreftet, slettes.
delete-what-account = Navnet og e-postadressen din fjernes, og du blir logget ut. Medlemskap i grupper, invitasjoner og roller slettes.
delete-what-emails = E-poster til deg som ikke er sendt ennå, stoppes.
delete-what-again = Vil du bruke Samråd senere, starter du på nytt.
delete-export-first = Vil du ha en kopi først?
delete-confirm-label = Jeg forstår at slettingen ikke kan angres.
delete-button = Slett meg nå
delete-error-confirm = Kryss av for at du forstår at slettingen ikke kan angres.
delete-cancel = Nei, tilbake til min side
deleted-title = Du er slettet
deleted-text = Navnet og e-postadressen din er fjernet, og du er logget ut. Innspillene dine står igjen i høringene uten navn.

planner-inputs = Innspill
planner-no-inputs = Ingen innspill er lagt fram ennå.
planner-col-section = Kapittel
planner-col-author = Fra
planner-col-date = Mottatt
planner-col-input = Innspill
planner-anonymised-help = Anonymisert: personen ba om å bli slettet. Teksten står igjen, navnet er fjernet.

email-confirm-input-subject = Bekreft innspillet ditt: { $hearing }
email-confirm-input-body = Takk for innspillet ditt til høringen «{ $hearing }». Du skrev:
email-confirm-input-link = Åpne lenken under og trykk på knappen for å bekrefte e-postadressen din. Da legges innspillet fram i høringen. Lenken virker én gang og i { $hours } timer.
email-confirm-input-ignore = Har du ikke skrevet dette, kan du se bort fra e-posten. Innspillet slettes etter sju dager.
me-responses = Høringssvar
me-no-responses = Verken du eller organisasjoner du representerer, har sendt høringssvar.
me-col-from = Fra
me-col-versions = Versjoner
me-response-version = Versjon { $version }, { $date }, av { $name }

## Which emails a person receives, and the one-click link that stops one kind

me-emails = E-post du får
me-emails-help = Lenker for å logge inn, bekreftelser, kvitteringer og invitasjoner sender vi alltid. Resten velger du selv.
me-emails-legend = Send meg e-post om
me-emails-save = Lagre e-postvalgene
me-emails-saved = E-postvalgene dine er lagret.
me-error-email-kind = Velg blant typene e-post i listen.
email-kind-comment-notice = nye innspill til planer du er kontaktperson for
email-kind-deadline-extended = endrede frister i høringer du er med i
email-kind-deadline-reminder = påminnelser før en frist
email-kind-input-hidden = innspill fra deg som en planlegger har skjult
email-kind-hearing-opened = når en høring åpner i en plan du er med i
email-kind-hearing-closed = når en høring du er med i, avsluttes
email-kind-comment-reply = svar på kommentarene dine
email-kind-response-notice = nye høringssvar til planer du er kontaktperson for
email-kind-inputs-assessed = hvordan kommunen vurderte innspillene dine
unsubscribe-title = Stopp e-post
unsubscribe-intro = Vil du slutte å få denne e-posten?
unsubscribe-button = Stopp denne e-posten
unsubscribe-done-title = E-posten er stoppet
unsubscribe-done = Vi sender deg ikke lenger e-post om dette:
unsubscribe-other = Bare denne typen e-post er stoppet. Du kan endre hvilken e-post du får på siden din når du er logget inn.
unsubscribe-me-link = Gå til siden din
unsubscribe-unknown-title = Lenken er ikke gyldig
unsubscribe-unknown = Denne lenken for å stoppe e-post er ikke gyldig, og ingenting er endret. Sjekk at du fikk med hele lenken, eller endre e-postvalgene på siden din.

me-letters = Brev og e-post du har sendt
me-letters-help = Brev og e-post fra deg som kommunen har registrert som innspill til en plan. Når kommunen har publisert vurderingen sin, står den her.
me-col-number = Nr.
me-col-received = Mottatt
