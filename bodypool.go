package letta

import "sync"

// bodyPool recycles the buffers that successful response bodies are read
// into, once they are decoded. Every decoded value owns its memory (the
// codec copies strings and raw JSON, the unions clone theirs, timestamps
// are parsed; checkDecode's fuzz targets overwrite the input after
// decoding to prove it), so a buffer is garbage as soon as decoding ends.
// Reusing it saves allocating and zeroing it on the next call: a 1.3 MB
// agent page a list call, the largest part of what such a call allocates.
//
// One pool per Client, not per process: nothing is shared between Clients.
// A sync.Pool lets the GC drop idle buffers, so a Client that once read a
// large page does not keep it for good. Error bodies are never recycled:
// APIError.Body keeps them.
type bodyPool struct {
	pool sync.Pool
}

// maxPooledBody bounds the buffers kept: larger ones (bodies the size
// guess of readBody did not cover) are left to the GC.
const maxPooledBody = maxBodyPrealloc + 1

// get returns an empty buffer of at least capacity bytes, and its holder
// for put (nil when the buffer is new). A pooled buffer too small for the
// body goes back to the pool, and a new one is made.
func (p *bodyPool) get(capacity int) (buf []byte, holder *[]byte) {
	if p != nil {
		if h, ok := p.pool.Get().(*[]byte); ok {
			if cap(*h) >= capacity {
				return (*h)[:0], h
			}
			p.pool.Put(h)
		}
	}
	return make([]byte, 0, capacity), nil
}

// put hands buf back for reuse; the caller must not use it afterwards.
// holder is what get returned with it (nil: a new one is made).
func (p *bodyPool) put(buf []byte, holder *[]byte) {
	if p == nil || cap(buf) == 0 || cap(buf) > maxPooledBody {
		return
	}
	if holder == nil {
		holder = new([]byte)
	}
	*holder = buf[:0]
	p.pool.Put(holder)
}
