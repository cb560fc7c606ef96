"""Ways into the Alliance lighter than joining a network (issue #17): pledges of
support for the five principles, enquiries from would-be institutional partners, and
the /get-involved/ page that presents every way in, lightest first."""
