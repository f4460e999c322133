from .cyc2 import Y
X = 1
