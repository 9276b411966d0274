import { crc32, deflateSync } from 'node:zlib';

const SIZE = 32;
let cached: Buffer | undefined;

/**
 * /image/png: a 32×32 truecolour PNG of a pink pig face, drawn here so the
 * package ships no binary asset (httpbin serves pig_icon.png). Built once;
 * the output is the same on every run.
 */
export function pigPng(): Buffer {
  cached ??= encodePng(SIZE, SIZE, drawPig());
  return cached;
}

function drawPig(): Buffer {
  const rows = Buffer.alloc(SIZE * (1 + SIZE * 3));
  const centre = (SIZE - 1) / 2;
  for (let y = 0; y < SIZE; y++) {
    const row = y * (1 + SIZE * 3);
    rows[row] = 0; // filter type None
    for (let x = 0; x < SIZE; x++) {
      let rgb: [number, number, number] = [255, 255, 255];
      if (Math.hypot(x - centre, y - centre) <= 14) rgb = [246, 168, 190];
      if (Math.hypot(x - centre, y - 19) <= 5.5) rgb = [232, 128, 158];
      if (Math.hypot(x - 13.5, y - 19) <= 1.2 || Math.hypot(x - 17.5, y - 19) <= 1.2) rgb = [120, 50, 70];
      if (Math.hypot(x - 10, y - 11) <= 1.8 || Math.hypot(x - 21, y - 11) <= 1.8) rgb = [30, 30, 30];
      rows.set(rgb, row + 1 + x * 3);
    }
  }
  return rows;
}

function encodePng(width: number, height: number, filteredRows: Buffer): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // colour type: truecolour
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(filteredRows, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

function chunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}
