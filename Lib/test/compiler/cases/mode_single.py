# mode: single
if x:
    y = 1
    y
else:
    z; w
