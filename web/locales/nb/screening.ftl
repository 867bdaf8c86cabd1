# Screening of input from the public, and reports without signing in.
screening-title = Kontroll av innspill fra allmennheten
screening-explain = Når kontroll er slått på, vises ikke innspill fra andre enn planleggere, ansatte i kommunen og medlemmer av gruppene i planen før en planlegger har sett over dem for personopplysninger om andre og publisert dem.
screening-state-on = Kontroll er slått på.
screening-state-off = Kontroll er slått av: innspill vises med en gang.
screening-turn-on = Slå på kontroll
screening-turn-off = Slå av kontroll
screening-done-on = Kontroll av innspill fra allmennheten er slått på.
screening-done-off = Kontroll av innspill fra allmennheten er slått av.
screening-queue-title = Innspill som venter på kontroll
screening-queue-none = Ingen innspill venter på kontroll.
screening-publish = Publiser
screening-status-waiting = Venter på kontroll
screening-posted = Takk! Innspillet ditt er lagret. Kommunen ser over innspill før de vises, og det vises her når det er publisert.
screening-own-heading = Innspillene dine som venter på kontroll
screening-form-note = Kommunen ser over innspill fra allmennheten for personopplysninger om andre før de vises.
screening-confirmed = Takk! E-postadressen din er bekreftet. Kommunen ser over innspillet ditt før det vises.
screening-report-limited = Det er sendt mange meldinger fra denne adressen nylig. Prøv igjen senere.
moderation-action-published = Publisert etter kontroll
moderation-done-published = Innspillet er publisert.

# Personal-data flags on input waiting for screening (suggestions; the planner decides).
screening-personal-data = { $count ->
    [one] En tekstbit er merket fordi den kan være en personopplysning. Se over den før du legger fram innspillet.
   *[other] { $count } tekstbiter er merket fordi de kan være personopplysninger. Se over dem før du legger fram innspillet.
}
personal-data-national-id = fødselsnummer eller d-nummer
personal-data-phone = telefonnummer
personal-data-email = e-postadresse
personal-data-address = adresse
personal-data-special-category = kan tyde på helse, tro, etnisitet eller annet særlig
screening-redact-legend = Sladd de avkryssede delene i det som publiseres (originalen blir værende i saken)
screening-error-redaction = Det som skal sladdes, må ligge i teksten.
