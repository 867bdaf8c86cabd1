# Høyringsfrist: åtvaringar og feil frå domain::deadline.
# Variablar: $suggested er ein ferdig formatert dato, $weeks er talet på veker.

deadline-warning-moved_from_non_working_day =
    Fristen fall på ei helg eller ein heilagdag, så han er flytt til neste arbeidsdag.
deadline-warning-overlaps_easter =
    Høyringsperioden går over påska (skjærtorsdag til andre påskedag), då mange har fri. Vurder å flytte fristen til { $suggested }.
deadline-warning-overlaps_summer =
    Høyringsperioden går over fellesferien i juli, då mange har fri. Vurder å flytte fristen til { $suggested }.
deadline-warning-overlaps_christmas =
    Høyringsperioden går over jula (24. desember til 1. januar), då mange har fri. Vurder å flytte fristen til { $suggested }.
deadline-warning-short_period_overridden =
    Høyringsperioden er kortare enn seks veker. Grunngjevinga di er lagra.
deadline-error-weeks_out_of_range =
    Høyringsperioden må vere mellom 1 og 52 veker. Du valde { $weeks } { $weeks ->
        [one] veke
       *[other] veker
    }.
deadline-error-too_short_for_pbl =
    Ei høyring etter plan- og bygningslova må vare i minst seks veker (pbl. § 4-1 og § 11-14). Du valde { $weeks } { $weeks ->
        [one] veke
       *[other] veker
    }. Vil du likevel ha kortare frist, må du skrive ei grunngjeving.
deadline-error-deadline_before_opening = Fristen må vere etter opningsdagen.
