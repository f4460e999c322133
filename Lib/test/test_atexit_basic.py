# atexit callbacks run at interpreter exit, last registered first, with
# their arguments; an unregistered one does not run.
import atexit


def goodbye(name, punct="!"):
    print("goodbye", name + punct)


def never():
    print("never printed")


atexit.register(goodbye, "first")
atexit.register(goodbye, "second", punct=".")
atexit.register(never)
atexit.unregister(never)
print("end of main")
