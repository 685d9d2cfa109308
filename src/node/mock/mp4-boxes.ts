import { closeSync, fstatSync, openSync, readSync } from "node:fs";

/** One top-level box of an MP4 (ISO BMFF) file. */
export interface Mp4Box {
  /** The four-character type, e.g. "ftyp", "moov", "mdat". */
  type: string;
  /** Where the box starts, in bytes from the start of the file. */
  offset: number;
  /** The whole box's size in bytes, header included. */
  size: number;
  /** 8, or 16 when the box uses a 64-bit size. */
  headerSize: number;
}

/** Reads `length` bytes at `offset` (fewer at the end of the data). */
export type ReadAt = (offset: number, length: number) => Uint8Array;

/**
 * Walks the top-level boxes of an MP4 of `totalSize` bytes, reading only box headers, so a file of
 * any size is walked in constant memory. Throws when a box size is inconsistent (shorter than its
 * header, or running past the end).
 */
function mp4Boxes(read: ReadAt, totalSize: number): Mp4Box[] {
  const boxes: Mp4Box[] = [];
  let offset = 0;
  while (offset < totalSize) {
    const header = read(offset, 16);
    if (header.length < 8) throw new Error(`truncated box header at byte ${offset}`);
    const view = new DataView(header.buffer, header.byteOffset, header.byteLength);
    const type = String.fromCharCode(...header.subarray(4, 8));
    let size = view.getUint32(0);
    let headerSize = 8;
    if (size === 1) {
      if (header.length < 16) throw new Error(`truncated 64-bit box header at byte ${offset}`);
      size = Number(view.getBigUint64(8));
      headerSize = 16;
    } else if (size === 0) {
      size = totalSize - offset;
    }
    if (size < headerSize) throw new Error(`box "${type}" at byte ${offset} has size ${size}, smaller than its header`);
    if (offset + size > totalSize)
      throw new Error(`box "${type}" at byte ${offset} (size ${size}) runs past the end (${totalSize} bytes)`);
    boxes.push({ type, offset, size, headerSize });
    offset += size;
  }
  return boxes;
}

/** What is wrong with a box list for a playable MP4: ftyp first, then moov and mdat present. Empty when fine. */
export function mp4Problems(boxes: readonly Mp4Box[]): string[] {
  const types = boxes.map((box) => box.type);
  const problems: string[] = [];
  if (types[0] !== "ftyp") problems.push(`the first box is ${types[0] ? `"${types[0]}"` : "missing"}, not "ftyp"`);
  for (const required of ["moov", "mdat"]) {
    if (!types.includes(required)) problems.push(`no "${required}" box`);
  }
  return problems;
}

/** Walks the top-level boxes of a buffer (see mp4Boxes). */
export function mp4BoxesOfBuffer(data: Uint8Array): Mp4Box[] {
  return mp4Boxes((offset, length) => data.subarray(offset, offset + length), data.length);
}

/**
 * Checks that a file on disk is an MP4 by walking its top-level boxes (headers only).
 * Returns the boxes and the problems found; a box walk that fails is reported as a problem.
 */
export function inspectMp4File(path: string): { boxes: Mp4Box[]; problems: string[] } {
  const fd = openSync(path, "r");
  try {
    const read: ReadAt = (offset, length) => {
      const buffer = Buffer.alloc(length);
      return buffer.subarray(0, readSync(fd, buffer, 0, length, offset));
    };
    let boxes: Mp4Box[];
    try {
      boxes = mp4Boxes(read, fstatSync(fd).size);
    } catch (error) {
      return { boxes: [], problems: [(error as Error).message] };
    }
    return { boxes, problems: mp4Problems(boxes) };
  } finally {
    closeSync(fd);
  }
}
