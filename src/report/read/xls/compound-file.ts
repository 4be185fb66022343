/** A stream of a compound file, as its directory entry declares it. */
export type CompoundStream = { readonly name: string; readonly start: number; readonly size: number };

/** An opened compound file: the streams directly under its root, by name (case as written), and a way to read one. */
export type CompoundFile = {
  readonly streams: ReadonlyMap<string, CompoundStream>;
  /** The stream's bytes, gathered from its sectors; throws when its chain does not hold them. */
  readonly read: (stream: CompoundStream) => Buffer;
};

const signature = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);
const END_OF_CHAIN = 0xfffffffe;
const FREE = 0xffffffff;
const NO_STREAM = 0xffffffff;
/** Past the last regular sector number come the markers (DIFSECT, FATSECT, ENDOFCHAIN, FREESECT). */
const MAX_REGULAR = 0xfffffffa;

/**
 * Opens an OLE2 compound file ([MS-CFB]), the container of Excel 97–2003 workbooks, trusting
 * nothing it declares: the sector sizes must be the two the format allows, every sector number
 * must lie inside the file, every chain (FAT, DIFAT, directory, mini FAT, each stream) is walked
 * with each sector visited once at most (a loop is an error, not a hang), and a stream is read
 * only as far as its chain holds it. Costs at most a few copies of the file. Throws, in a few
 * words, why the container cannot be read.
 */
export function openCompoundFile(bytes: Buffer): CompoundFile {
  if (bytes.length < 512 || !bytes.subarray(0, 8).equals(signature))
    throw new Error('không phải tệp OLE / not an OLE compound file');
  const major = bytes.readUInt16LE(26);
  const sectorShift = bytes.readUInt16LE(30);
  if (bytes.readUInt16LE(28) !== 0xfffe) throw new Error('thứ tự byte sai / bad byte order mark');
  if (!((major === 3 && sectorShift === 9) || (major === 4 && sectorShift === 12)))
    throw new Error(`kích thước sector sai / bad sector size (version ${major}, shift ${sectorShift})`);
  if (bytes.readUInt16LE(32) !== 6) throw new Error('kích thước sector nhỏ sai / bad mini sector size');
  const sectorSize = 1 << sectorShift;
  const sectorCount = Math.ceil(Math.max(0, bytes.length - sectorSize) / sectorSize);
  const perSector = sectorSize / 4;

  const sector = (n: number): Buffer => {
    if (n >= sectorCount)
      throw new Error(
        `sector ${n} ngoài tệp / sector ${n} out of range (file has ${sectorCount}), the file may be truncated`,
      );
    const at = (n + 1) * sectorSize;
    return bytes.subarray(at, Math.min(at + sectorSize, bytes.length));
  };
  const fullSector = (n: number): Buffer => {
    const found = sector(n);
    if (found.length < sectorSize) throw new Error('tệp bị cắt cụt / truncated');
    return found;
  };

  // The FAT's own sectors: 109 listed in the header, the rest in a chain of DIFAT sectors.
  const fatSectorCount = bytes.readUInt32LE(44);
  if (fatSectorCount > sectorCount) throw new Error('số sector FAT sai / more FAT sectors than the file has');
  const fatSectors: number[] = [];
  for (let k = 0; k < Math.min(109, fatSectorCount); k++) fatSectors.push(bytes.readUInt32LE(76 + k * 4));
  const seenDifat = new Set<number>();
  for (let next = bytes.readUInt32LE(68); fatSectors.length < fatSectorCount; ) {
    if (next > MAX_REGULAR) throw new Error('chuỗi DIFAT thiếu / DIFAT chain ends early');
    if (seenDifat.has(next)) throw new Error('chuỗi DIFAT lặp vòng / DIFAT chain loops');
    seenDifat.add(next);
    const block = fullSector(next);
    for (let k = 0; k < perSector - 1 && fatSectors.length < fatSectorCount; k++)
      fatSectors.push(block.readUInt32LE(k * 4));
    next = block.readUInt32LE((perSector - 1) * 4);
  }
  /** The sector numbers held by `sectors`, in order: the FAT, the mini FAT. */
  const allocationTable = (sectors: readonly number[]): Uint32Array => {
    const table = new Uint32Array(sectors.length * perSector);
    sectors.forEach((n, k) => {
      const block = fullSector(n);
      for (let i = 0; i < perSector; i++) table[k * perSector + i] = block.readUInt32LE(i * 4);
    });
    return table;
  };
  const fat = allocationTable(fatSectors);

  /** The sectors of a chain, enough for `bytesWanted` (or all of it), each once. */
  const chainOf = (
    start: number,
    table: Uint32Array,
    limit: number,
    what: string,
    bytesWanted = Infinity,
    unit = sectorSize,
  ): number[] => {
    const found: number[] = [];
    const seen = new Uint8Array(limit);
    for (let n = start; n !== END_OF_CHAIN && found.length * unit < bytesWanted; n = table[n] ?? FREE) {
      if (n >= limit || n >= table.length) throw new Error(`${what}: sector ${n} ngoài tệp / sector ${n} out of range`);
      if (seen[n] === 1) throw new Error(`${what}: chuỗi sector lặp vòng / sector chain loops`);
      seen[n] = 1;
      found.push(n);
    }
    return found;
  };
  const gather = (chain: number[], size: number, piece: (n: number) => Buffer, what: string): Buffer => {
    const data = Buffer.concat(chain.map(piece));
    if (data.length < size)
      throw new Error(`${what}: dòng dữ liệu dài hơn chuỗi sector / stream larger than its sectors`);
    return data.subarray(0, size);
  };

  const directory = Buffer.concat(chainOf(bytes.readUInt32LE(48), fat, sectorCount, 'directory').map(fullSector));
  const entryCount = Math.floor(directory.length / 128);
  if (entryCount === 0 || directory[66] !== 5) throw new Error('thiếu thư mục gốc / no root directory entry');
  const entry = (id: number) => {
    const at = id * 128;
    const nameLength = Math.min(64, directory.readUInt16LE(at + 64));
    return {
      name: directory.toString('utf16le', at, at + Math.max(0, nameLength - 2)),
      type: directory[at + 66]!,
      left: directory.readUInt32LE(at + 68),
      right: directory.readUInt32LE(at + 72),
      child: directory.readUInt32LE(at + 76),
      start: directory.readUInt32LE(at + 116),
      // Version 3 files may leave garbage in the high half; a version 4 size past 4 GB is no size this file can hold.
      size:
        major === 3
          ? directory.readUInt32LE(at + 120)
          : directory.readUInt32LE(at + 124) === 0
            ? directory.readUInt32LE(at + 120)
            : Infinity,
    };
  };

  // The root's children are a tree of siblings; walked with each entry visited once.
  const root = entry(0);
  const streams = new Map<string, CompoundStream>();
  const seenEntries = new Uint8Array(entryCount);
  const stack = [root.child];
  while (stack.length > 0) {
    const id = stack.pop()!;
    if (id === NO_STREAM) continue;
    if (id >= entryCount) throw new Error('mục thư mục ngoài bảng / directory entry out of range');
    if (seenEntries[id] === 1) throw new Error('thư mục lặp vòng / directory tree loops');
    seenEntries[id] = 1;
    const found = entry(id);
    stack.push(found.left, found.right);
    if (found.type === 2 || found.type === 1)
      streams.set(found.name, { name: found.name, start: found.start, size: found.type === 2 ? found.size : 0 });
  }

  const cutoff = bytes.readUInt32LE(56);
  let mini: { stream: Buffer; fat: Uint32Array } | null = null;
  const miniStream = (): { stream: Buffer; fat: Uint32Array } => {
    if (mini !== null) return mini;
    const stream = gather(
      chainOf(root.start, fat, sectorCount, 'mini stream', root.size),
      root.size,
      sector,
      'mini stream',
    );
    mini = { stream, fat: allocationTable(chainOf(bytes.readUInt32LE(60), fat, sectorCount, 'mini FAT')) };
    return mini;
  };

  return {
    streams,
    read: (stream) => {
      if (stream.size > bytes.length)
        throw new Error(
          `${stream.name}: kích thước khai báo ${stream.size} lớn hơn tệp / declared size larger than the file`,
        );
      if (stream.size >= cutoff)
        return gather(
          chainOf(stream.start, fat, sectorCount, stream.name, stream.size),
          stream.size,
          sector,
          stream.name,
        );
      const { stream: data, fat: miniFat } = miniStream();
      const miniCount = Math.ceil(data.length / 64);
      const piece = (n: number): Buffer => data.subarray(n * 64, n * 64 + 64);
      return gather(
        chainOf(stream.start, miniFat, miniCount, stream.name, stream.size, 64),
        stream.size,
        piece,
        stream.name,
      );
    },
  };
}
