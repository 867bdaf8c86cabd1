sign-in-provider-heading = Sign in with your municipality's sign-in
sign-in-provider-intro = If your municipality has its own sign-in, you can use it instead of the emailed link.
sign-in-provider-button = Sign in with { $provider }
sign-in-provider-failed-title = Sign-in failed
sign-in-provider-failed = We could not confirm the sign-in. Try again, or sign in with an emailed link.
sign-in-provider-not-staff = You are not registered as staff of this municipality in Samråd. Ask an administrator for access, or sign in with an emailed link.
sign-in-provider-no-email = The sign-in gave us no confirmed email address, so we do not know who you are in Samråd. Sign in with an emailed link.
sign-in-provider-unavailable = The municipality's sign-in does not answer right now. Try again shortly, or sign in with an emailed link.
