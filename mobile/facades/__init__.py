"""Device APIs behind small interfaces (as plyer's ``facades``): camera and location, each with
an Android, a desktop and a fake implementation. Results come back through a callback that may
run on any thread; presenters hand it to the UI thread."""
