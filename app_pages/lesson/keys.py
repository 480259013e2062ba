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

# Stop 5: the keyboard alternative to clicking the chart
MS_TYPED = "lesson_ms_typed_{}"

# Stop 6: the prediction of log L a few iterations ahead
IT_GUESS = "lesson_it_guess_{}_{}"  # per (tolerance, iteration): its range depends on both
IT_RESULT = "lesson_it_result"  # {"from", "to", "guess", "points"} of the last reveal

# Stop 7: three starts
IN_PICK = "lesson_in_pick"
IN_REVEALED = "lesson_in_revealed"
IN_STEP = "lesson_in_step"  # the iteration the three runs show
IN_PLAYING = "lesson_in_playing"

# Stop 8: choosing K
K_SEP = "lesson_k_sep"
K_PICK = "lesson_k_pick"
K_REVEALED = "lesson_k_revealed"

# Stop 9: covariance types
CT_DATA = "lesson_ct_data"
CT_PICK = "lesson_ct_pick"
CT_REVEALED = "lesson_ct_revealed"

# Stop 10: overfitting
OF_PICK = "lesson_of_pick"
OF_REVEALED = "lesson_of_revealed"
OF_SIGMA = "lesson_of_sigma"
OF_REG = "lesson_of_reg"
OF_PLAYING = "lesson_of_playing"

# Stop 11: applications
AP_THRESHOLD = "lesson_ap_threshold"
AP_SAMPLES = "lesson_ap_samples"  # how many times "Draw samples" was pressed (the seed)
AP_PCA = "lesson_ap_pca"
