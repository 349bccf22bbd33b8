"""The internal review portal (/review/): list, review page, accept / reject / fix."""
