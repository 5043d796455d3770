// The snapshot's download, in a worker of the Python worker's own (started by
// pyodide-loader.mjs): unzipping 16 MB and laying out 31 MB of memory here runs on the other
// core while the Python worker compiles Pyodide's Emscripten module, instead of after it.
//
// Message in: the snapshot's URL. Messages out: {total} once the headers are in, {received}
// as bytes arrive and {downloaded: true} when the last has (so the loader can judge the link),
// then either {memory} (a Uint8Array, transferred, not copied) or {error}.

const SNAPSHOT_MAGIC = 'GBSNAP2\0';  // tools/make_snapshot.mjs writes it

onmessage = async ({data: url}) => {
  try {
    const memory = unpackSnapshot(await download(url));
    postMessage({memory}, [memory.buffer]);
  } catch (error) {
    postMessage({error: String(error?.message ?? error)});
  }
};

async function download(url) {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`no snapshot (HTTP ${response.status})`);
  // A server that sent it with Content-Encoding: gzip has had it unzipped by fetch already;
  // then Content-Length does not count the bytes read, so no projection is made.
  const zipped = response.headers.get('Content-Encoding') !== 'gzip';
  postMessage({total: zipped ? Number(response.headers.get('Content-Length')) || 0 : 0});
  // Two readers of the body: one counts the bytes as they arrive, at the link's pace; the
  // other unzips, at the CPU's pace. Counted through the unzipping, a fast link would look
  // only as fast as the unzipping.
  const [counted, kept] = response.body.tee();
  countBytes(counted);
  const body = zipped ? kept.pipeThrough(new DecompressionStream('gzip')) : kept;
  return new Response(body).arrayBuffer().catch(error => {
    throw new Error(`the snapshot did not download or unzip whole (${error.message})`);
  });
}

// Often enough for the loader's 250 ms look at the link; a message per network chunk (hundreds)
// would only keep the Python worker's thread busy.
const PROGRESS_EVERY_MS = 20;

async function countBytes(stream) {
  const reader = stream.getReader();
  let received = 0;
  let postedAt = -Infinity;
  try {
    for (let read = await reader.read(); !read.done; read = await reader.read()) {
      received += read.value.byteLength;
      if (performance.now() - postedAt >= PROGRESS_EVERY_MS) {
        postMessage({received});
        postedAt = performance.now();
      }
    }
    postMessage({received, downloaded: true});
  } catch {
    // A failed download fails the other reader too: reported from there.
  }
}

/** Python's memory from the file tools/make_snapshot.mjs writes: the runs of pages that are not
 * all zeros, each put back at its offset in zeroed memory. */
function unpackSnapshot(packed) {
  const header = new DataView(packed);
  const magic = new TextDecoder().decode(new Uint8Array(packed, 0, Math.min(8, packed.byteLength)));
  if (magic !== SNAPSHOT_MAGIC) throw new Error('not a Glassbox memory snapshot (no GBSNAP2 header)');
  const memory = new Uint8Array(header.getUint32(8, true));
  const runs = header.getUint32(12, true);
  let at = 16 + 8 * runs;
  for (let run = 0; run < runs; run++) {
    const offset = header.getUint32(16 + 8 * run, true);
    const length = header.getUint32(20 + 8 * run, true);
    memory.set(new Uint8Array(packed, at, length), offset);
    at += length;
  }
  if (at !== packed.byteLength) throw new Error('the snapshot is damaged (its runs do not add up)');
  return memory;
}
