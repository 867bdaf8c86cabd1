sign-in-provider-heading = Logg inn med kommunens innlogging
sign-in-provider-intro = Har kommunen din egen innlogging, kan du bruke den i stedet for lenken på e-post.
sign-in-provider-button = Logg inn med { $provider }
sign-in-provider-failed-title = Innloggingen gikk ikke
sign-in-provider-failed = Vi kunne ikke bekrefte innloggingen. Prøv igjen, eller logg inn med lenke på e-post.
sign-in-provider-not-staff = Du er ikke registrert som ansatt i denne kommunen i Samråd. Be en administrator om tilgang, eller logg inn med lenke på e-post.
sign-in-provider-no-email = Innloggingen ga oss ingen bekreftet e-postadresse, så vi vet ikke hvem du er i Samråd. Logg inn med lenke på e-post.
sign-in-provider-unavailable = Innloggingen hos kommunen svarer ikke nå. Prøv igjen om litt, eller logg inn med lenke på e-post.
