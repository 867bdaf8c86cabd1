# Daily digests, following hearings and sections, and the unsubscribe link in emails.

email-unsubscribe-link = Slutt å få e-post av denne typen
email-kind-digest = daglig oversikt over nye innspill til planene dine og der du følger med
email-digest-subject = Nye innspill { $day }
email-digest-intro = Her er det nye som kom inn { $day }.
email-digest-planned = Nye innspill til planer du er kontaktperson for:
email-digest-followed = Nye kommentarer der du følger med:
email-digest-hearing = { $hearing } ({ $plan })
email-digest-responses = Høringssvar
email-digest-late = kom etter fristen
email-digest-hearing-link = Åpne høringen
email-digest-settings = Du kan velge hva du får, på Min side.

follow-hearing = Følg høringen
follow-hearing-stop = Slutt å følge høringen
follow-hearing-help = Følger du en høring eller et kapittel, får du én e-post om dagen med nye kommentarer der.
follow-section = Følg kapitlet
follow-section-stop = Slutt å følge kapitlet
follow-done = Du følger nå med. Nye kommentarer kommer i en daglig e-post.
follow-stopped = Du følger ikke lenger med her.
follow-sign-in = Logg inn for å følge høringen:
follow-error-section = Kapitlet finnes ikke i denne høringen.

me-follows = Dette følger du med på
me-follows-help = Hver morgen får du én e-post med nye kommentarer fra andre på det du følger.
me-no-follows = Du følger ikke med på noen høring. Bruk knappen «Følg høringen» eller «Følg kapitlet» på siden til høringen.
me-follow-whole = Hele høringen
me-unfollow = Slutt å følge
me-unfollow-label = Slutt å følge { $what }
me-unfollowed = Du følger ikke lenger med på dette.
me-notices = Varsel om nye innspill til planene dine
me-notices-help = Innspill kommer enten som én e-post for hvert innspill eller samlet i én e-post om morgenen.
me-notice-digest = Samlet én gang om dagen
me-notice-immediate = Én e-post for hvert innspill
me-notices-save = Lagre valgene for varsel
me-notices-saved = Valgene for varsel er lagret.
me-error-notice-plan = Du er ikke planlegger for denne planen.
