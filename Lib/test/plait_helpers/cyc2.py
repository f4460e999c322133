from .cyc1 import X
Y = 2
