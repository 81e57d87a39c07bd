# Models arrive with their issue (see issues 4, 5 and 7).
