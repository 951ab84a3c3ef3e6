"""Pages of rollout: they translate input, call services and selectors, and render; they never decide a rule."""
