# repr(float) is the shortest string that reads back, as CPython's
import random, struct
random.seed(5)
out = []
for i in range(300000):
    k = random.random()
    if k < 0.3:
        x = struct.unpack('d', struct.pack('Q', random.getrandbits(64)))[0]
    elif k < 0.6:
        x = random.random() * 10 ** random.randint(-300, 300)
    else:
        x = 2.0 ** random.randint(-1074, 1023) * random.choice([1, 3, 5, 7, 0.5])
    if x != x: continue
    out.append(repr(x))
import hashlib
print(len(out), hashlib.sha256('\n'.join(out).encode()).hexdigest())
print(2**-24, 5e-324, 1.7976931348623157e308, 0.1+0.2, 9007199254740993.0, 1e16, 1e-5, 123e-310)
