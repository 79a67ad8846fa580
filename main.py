"""The tablet app on Android: python-for-android starts ``main.py`` at the root of
``source.dir`` (mobile/buildozer.spec), which is the repository's root. On a desktop the app is
``python -m mobile`` (or ``rasoat tablet``)."""

from mobile.android.start import main

if __name__ == "__main__":
    main()
