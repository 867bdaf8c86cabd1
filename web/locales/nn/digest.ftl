# Daily digests, following hearings and sections, and the unsubscribe link in emails.

email-unsubscribe-link = Slutt å få e-post av dette slaget
email-kind-digest = dagleg oversikt over nye innspel til planane dine og der du følgjer med
email-digest-subject = Nye innspel { $day }
email-digest-intro = Her er det nye som kom inn { $day }.
email-digest-planned = Nye innspel til planar du er kontaktperson for:
email-digest-followed = Nye kommentarar der du følgjer med:
email-digest-hearing = { $hearing } ({ $plan })
email-digest-responses = Høyringssvar
email-digest-late = kom etter fristen
email-digest-hearing-link = Opne høyringa
email-digest-settings = Du kan velje kva du får, på Mi side.

follow-hearing = Følg høyringa
follow-hearing-stop = Slutt å følgje høyringa
follow-hearing-help = Følgjer du ei høyring eller eit kapittel, får du éin e-post om dagen med nye kommentarar der.
follow-section = Følg kapittelet
follow-section-stop = Slutt å følgje kapittelet
follow-done = Du følgjer no med. Nye kommentarar kjem i ein dagleg e-post.
follow-stopped = Du følgjer ikkje lenger med her.
follow-sign-in = Logg inn for å følgje høyringa:
follow-error-section = Kapittelet finst ikkje i denne høyringa.

me-follows = Dette følgjer du med på
me-follows-help = Kvar morgon får du éin e-post med nye kommentarar frå andre på det du følgjer.
me-no-follows = Du følgjer ikkje med på noka høyring. Bruk knappen «Følg høyringa» eller «Følg kapittelet» på sida til høyringa.
me-follow-whole = Heile høyringa
me-unfollow = Slutt å følgje
me-unfollow-label = Slutt å følgje { $what }
me-unfollowed = Du følgjer ikkje lenger med på dette.
me-notices = Varsel om nye innspel til planane dine
me-notices-help = Innspel kjem anten som éin e-post for kvart innspel eller samla i éin e-post om morgonen.
me-notice-digest = Samla éin gong om dagen
me-notice-immediate = Éin e-post for kvart innspel
me-notices-save = Lagre vala for varsel
me-notices-saved = Vala for varsel er lagra.
me-error-notice-plan = Du er ikkje planleggjar for denne planen.
