// The first 4 MB of Python's memory are the static data of pyodide.asm.wasm: what its data
// segments put there, partly changed as Python started. A memory snapshot holding them as they
// are duplicates what the wasm file brings anyway (1.6 MB of the snapshot, gzipped). So the
// snapshot holds them XORed with the data segments (tools/make_snapshot.mjs): zeros where
// nothing changed, 0.07 MB gzipped. XOR undoes itself, so the page applies the same function
// to the snapshot, with the same wasm, to get Python's memory back (pyodide-loader.mjs).

/** XORs each active data segment of the wasm binary `wasm` (a Uint8Array) into `memory` (a
 * Uint8Array laid out as Pyodide's makeMemorySnapshot writes it: its header, then the wasm
 * memory from `base` on, `base` being the header's second u32). Throws on a wasm it cannot read. */
export function xorStaticData(memory, wasm) {
  const base = new DataView(memory.buffer, memory.byteOffset, 8).getUint32(4, true);
  const read = reader(wasm);
  if (read.u32le() !== 0x6d736100) throw new Error('not a WebAssembly binary');
  read.skip(4);  // version
  while (read.at < wasm.length) {
    const section = read.byte();
    const size = read.leb();
    const end = read.at + size;
    if (section === DATA_SECTION) {
      for (let count = read.leb(); count > 0; count--) xorSegment(read, memory, base);
    }
    read.at = end;
  }
}

const DATA_SECTION = 11;
const I32_CONST = 0x41;
const END = 0x0b;

function xorSegment(read, memory, base) {
  const flags = read.leb();
  if (flags === 1) {  // passive: copied by the code itself when it wants it, not at start
    read.skip(read.leb());
    return;
  }
  if (flags === 2) read.leb();  // memory index
  if (read.byte() !== I32_CONST) throw new Error('a data segment at a computed offset');
  const offset = read.sleb();
  if (read.byte() !== END) throw new Error('a data segment offset that is not a constant');
  const length = read.leb();
  const start = base + offset;
  if (start + length > memory.length) throw new Error('a data segment beyond the memory');
  for (let i = 0; i < length; i++) memory[start + i] ^= read.bytes[read.at + i];
  read.skip(length);
}

function reader(bytes) {
  const read = {
    bytes,
    at: 0,
    byte: () => bytes[read.at++],
    skip: count => { read.at += count; },
    u32le: () => {
      const value = new DataView(bytes.buffer, bytes.byteOffset + read.at, 4).getUint32(0, true);
      read.at += 4;
      return value;
    },
    leb: () => {
      let value = 0;
      for (let scale = 1; ; scale *= 128) {
        const byte = read.byte();
        value += (byte & 0x7f) * scale;
        if (byte < 0x80) return value;
      }
    },
    sleb: () => {
      let value = 0;
      let scale = 1;
      let byte;
      do {
        byte = read.byte();
        value += (byte & 0x7f) * scale;
        scale *= 128;
      } while (byte >= 0x80);
      return byte & 0x40 ? value - scale : value;
    },
  };
  return read;
}
