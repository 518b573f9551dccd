"""What the gate and the office share: style, background jobs, sign-on, the idle lock, dialogs."""
