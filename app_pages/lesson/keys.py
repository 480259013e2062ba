"""Session-state keys of the Lesson page (all prefixed "lesson_", owned by this page).

Nothing here leaves the session: no accounts, nothing stored on the server."""

STOP = "lesson_stop"  # the stop shown, 1-based
SCORES = "lesson_scores"  # {stop title: points out of 100} of the predictions made
VISITED = "lesson_visited"  # the highest stop reached

# Stop 1: a Gaussian
G_MU = "lesson_g_mu"
G_SIGMA = "lesson_g_sigma"
G_X = "lesson_g_x"

# Stop 2: a mixture (the π sliders are kept summing to 1)
M_K = "lesson_m_k"
M_PI = "lesson_m_pi_{}"
M_MU = "lesson_m_mu_{}"
M_SIGMA = "lesson_m_sigma_{}"
M_X = "lesson_m_x"

# Stop 3: latent variable
L_STEP = "lesson_l_step"  # the animation's frame
L_PLAYING = "lesson_l_playing"
L_TICK = "lesson_l_tick"  # when the last timer tick moved the animation
L_HIDE = "lesson_l_hide"

# Stop 4: E-step
E_POINT = "lesson_e_point"
E_GUESS = "lesson_e_guess"
E_REVEALED = "lesson_e_revealed"

# Stop 5: M-step
MS_GUESS = "lesson_ms_guess_{}"  # the x clicked for component z (absent: not placed yet)
MS_REVEALED = "lesson_ms_revealed"
MS_CHART = "lesson_ms_chart"  # the live chart's last click (its widget value)
MS_SEEN = "lesson_ms_seen"  # the last click already placed (a rerun must not place it again)

# Stop 6: iterate
IT_SHOWN = "lesson_it_shown"
IT_TOL = "lesson_it_tol"

# Stop 9: covariance types
CT_TYPE = "lesson_ct_type"
