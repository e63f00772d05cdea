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
// What a busy Client keeps is about one buffer per call in flight (at most
// maxPooledBody each), the size of the largest bodies it reads: a Client
// that lists agents and then only gets identities goes on reusing the
// page-sized buffer for them. The GC drops buffers the Client has not used
// for two cycles. Error bodies are never recycled: APIError.Body keeps
// them.
type bodyPool struct {
	pool sync.Pool
}

// maxPooledBody bounds the buffers kept: larger ones (bodies the size
// guess of readBody did not cover) are left to the GC.
const maxPooledBody = maxBodyPrealloc + 1

// get returns an empty buffer of at least capacity bytes, and its holder
// for put (nil when the buffer is new). A pooled buffer too small for the
// body is dropped, not put back: sync.Pool hands out the buffer last put
// on this P first, so a small one put back would be found again by every
// larger call, while the large ones piled up behind it.
func (p *bodyPool) get(capacity int) (buf []byte, holder *[]byte) {
	if p != nil {
		if h, ok := p.pool.Get().(*[]byte); ok && cap(*h) >= capacity {
			return (*h)[:0], h
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
