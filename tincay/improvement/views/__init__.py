"""Pages of improvement: they translate input, call services and selectors, and render; they never decide a rule."""
