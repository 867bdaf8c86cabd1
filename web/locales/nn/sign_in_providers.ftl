sign-in-provider-heading = Logg inn med kommunen si innlogging
sign-in-provider-intro = Har kommunen di eiga innlogging, kan du bruke ho i staden for lenkja på e-post.
sign-in-provider-button = Logg inn med { $provider }
sign-in-provider-failed-title = Innlogginga gjekk ikkje
sign-in-provider-failed = Vi kunne ikkje stadfeste innlogginga. Prøv igjen, eller logg inn med lenkje på e-post.
sign-in-provider-not-staff = Du er ikkje registrert som tilsett i denne kommunen i Samråd. Be ein administrator om tilgang, eller logg inn med lenkje på e-post.
sign-in-provider-no-email = Innlogginga gav oss inga stadfesta e-postadresse, så vi veit ikkje kven du er i Samråd. Logg inn med lenkje på e-post.
sign-in-provider-unavailable = Innlogginga hos kommunen svarer ikkje no. Prøv igjen om litt, eller logg inn med lenkje på e-post.
