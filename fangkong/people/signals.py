"""Other apps that hold person references listen here to repoint them on a merge."""

import django.dispatch

person_merged = django.dispatch.Signal()  # survivor, absorbed, user
