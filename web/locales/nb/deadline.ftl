# Høringsfrist: advarsler og feil fra domain::deadline.
# Variabler: $suggested er en ferdig formatert dato, $weeks er antall uker.

deadline-warning-moved_from_non_working_day =
    Fristen falt på en helg eller helligdag, så den er flyttet til neste virkedag.
deadline-warning-overlaps_easter =
    Høringsperioden går over påsken (skjærtorsdag til andre påskedag), da mange har fri. Vurder å flytte fristen til { $suggested }.
deadline-warning-overlaps_summer =
    Høringsperioden går over fellesferien i juli, da mange har fri. Vurder å flytte fristen til { $suggested }.
deadline-warning-overlaps_christmas =
    Høringsperioden går over julen (24. desember til 1. januar), da mange har fri. Vurder å flytte fristen til { $suggested }.
deadline-warning-short_period_overridden =
    Høringsperioden er kortere enn seks uker. Begrunnelsen din er lagret.
deadline-error-weeks_out_of_range =
    Høringsperioden må være mellom 1 og 52 uker. Du valgte { $weeks } { $weeks ->
        [one] uke
       *[other] uker
    }.
deadline-error-too_short_for_pbl =
    En høring etter plan- og bygningsloven må vare i minst seks uker (pbl. § 4-1 og § 11-14). Du valgte { $weeks } { $weeks ->
        [one] uke
       *[other] uker
    }. Vil du likevel ha kortere frist, må du skrive en begrunnelse.
deadline-error-deadline_before_opening = Fristen må være etter åpningsdagen.
