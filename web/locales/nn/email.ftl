email-comment-notice-subject = Ny kommentar: { $hearing }
email-comment-notice-body = { $author } har skrive ein kommentar til { $section } i høyringa «{ $hearing }» ({ $plan }).
email-comment-notice-late = Kommentaren kom inn etter fristen og er merkt som for seint komen.
email-comment-notice-link = Les kommentaren og høyringa: { $link }
email-signature = Samråd – høyringar og medverknad
