# Screening of input from the public, and reports without signing in.
screening-title = Kontroll av innspel frå ålmenta
screening-explain = Når kontroll er slått på, blir innspel frå andre enn planleggjarar, tilsette i kommunen og medlemer av gruppene i planen ikkje viste før ein planleggjar har sett over dei for personopplysningar om andre og lagt dei fram.
screening-state-on = Kontroll er slått på.
screening-state-off = Kontroll er slått av: innspel blir viste med ein gong.
screening-turn-on = Slå på kontroll
screening-turn-off = Slå av kontroll
screening-done-on = Kontroll av innspel frå ålmenta er slått på.
screening-done-off = Kontroll av innspel frå ålmenta er slått av.
screening-queue-title = Innspel som ventar på kontroll
screening-queue-none = Ingen innspel ventar på kontroll.
screening-publish = Legg fram
screening-status-waiting = Ventar på kontroll
screening-posted = Takk! Innspelet ditt er lagra. Kommunen ser over innspel før dei blir viste, og det blir vist her når det er lagt fram.
screening-own-heading = Innspela dine som ventar på kontroll
screening-form-note = Kommunen ser over innspel frå ålmenta for personopplysningar om andre før dei blir viste.
screening-confirmed = Takk! E-postadressa di er stadfesta. Kommunen ser over innspelet ditt før det blir vist.
screening-report-limited = Det er sendt mange meldingar frå denne adressa nyleg. Prøv igjen seinare.
moderation-action-published = Lagt fram etter kontroll
moderation-done-published = Innspelet er lagt fram.

# Personal-data flags on input waiting for screening (suggestions; the planner decides).
screening-personal-data = { $count ->
    [one] Ein tekstbit er merkt fordi han kan vere ei personopplysning. Sjå over han før du legg fram innspelet.
   *[other] { $count } tekstbitar er merkte fordi dei kan vere personopplysningar. Sjå over dei før du legg fram innspelet.
}
personal-data-national-id = fødselsnummer eller d-nummer
personal-data-phone = telefonnummer
personal-data-email = e-postadresse
personal-data-address = adresse
personal-data-special-category = kan tyde på helse, tru, etnisitet eller anna særleg
screening-redact-legend = Sladd dei avkryssa delane i det som blir publisert (originalen blir verande i saka)
screening-error-redaction = Det som skal sladdast, må liggje i teksten.
