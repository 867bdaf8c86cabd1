email-comment-notice-subject = Ny kommentar: { $hearing }
email-comment-notice-body = { $author } har skrevet en kommentar til { $section } i høringen «{ $hearing }» ({ $plan }).
email-comment-notice-late = Kommentaren kom inn etter fristen og er merket som for sent innkommet.
email-comment-notice-link = Les kommentaren og høringen: { $link }
email-signature = Samråd – høringer og medvirkning
email-deadline-extended-subject = Ny frist: { $hearing }
email-deadline-extended-body = Fristen for å gi innspill til høringen «{ $hearing }» er flyttet til { $deadline }. Begrunnelse:
email-deadline-extended-link = Les mer og gi innspill: { $link }
