email-comment-notice-subject = Ny kommentar: { $hearing }
email-comment-notice-body = { $author } har skrive ein kommentar til { $section } i høyringa «{ $hearing }» ({ $plan }).
email-comment-notice-late = Kommentaren kom inn etter fristen og er merkt som for seint komen.
email-comment-notice-link = Les kommentaren og høyringa: { $link }
email-signature = Samråd – høyringar og medverknad
email-deadline-extended-subject = Ny frist: { $hearing }
email-deadline-extended-body = Fristen for å gi innspel til høyringa «{ $hearing }» er flytt til { $deadline }. Grunngjeving:
email-deadline-extended-link = Les meir og gi innspel: { $link }
