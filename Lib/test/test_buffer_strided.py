# bytes()/bytearray() of strided buffers and contiguity flags
m = memoryview(b'hello world')
print(bytes(m[::2]), bytearray(m[1::3]), bytes(m[::-1]), m[::2].contiguous, m[::1].c_contiguous, m[:1:5].contiguous)
import array
a = array.array('i', range(6))
print(bytes(memoryview(a)[::2]) == array.array('i', [0, 2, 4]).tobytes())
