// The three-byte map 0F 3A (SDM Vol. 2 Table A-5): SSSE3/SSE4.1 forms with an imm8, all
// with the mandatory 66 prefix.
import type { Row } from './row.js';

export const THREE_BYTE_3A: readonly Row[] = [
  ['66 0F 3A 08 /r', 'Roundps', 'V,ps W,ps I,b'],
  ['66 0F 3A 09 /r', 'Roundpd', 'V,pd W,pd I,b'],
  ['66 0F 3A 0A /r', 'Roundss', 'V,ss W,ss I,b'],
  ['66 0F 3A 0B /r', 'Roundsd', 'V,sd W,sd I,b'],
  ['66 0F 3A 0C /r', 'Blendps', 'V,ps W,ps I,b'],
  ['66 0F 3A 0D /r', 'Blendpd', 'V,pd W,pd I,b'],
  ['66 0F 3A 0E /r', 'Pblendw', 'V,x W,x I,b'],
  ['66 0F 3A 0F /r', 'Palignr', 'V,x W,x I,b'],
  ['66 0F 3A 14 /r', 'Pextrb', 'R,y/M,b V,x I,b'],
  ['66 0F 3A 15 /r', 'Pextrw', 'R,y/M,w V,x I,b'],
  ['66 0F 3A 16 /r', 'Pextrd', 'E,d V,x I,b', 'W0'],
  ['66 0F 3A 16 /r', 'Pextrq', 'E,q V,x I,b', 'W1'],
  ['66 0F 3A 17 /r', 'Extractps', 'R,y/M,d V,x I,b'],
  ['66 0F 3A 20 /r', 'Pinsrb', 'V,x R,y/M,b I,b'],
  ['66 0F 3A 21 /r', 'Insertps', 'V,ps W,d I,b'],
  ['66 0F 3A 22 /r', 'Pinsrd', 'V,x E,d I,b', 'W0'],
  ['66 0F 3A 22 /r', 'Pinsrq', 'V,x E,q I,b', 'W1'],
  ['66 0F 3A 40 /r', 'Dpps', 'V,ps W,ps I,b'],
  ['66 0F 3A 41 /r', 'Dppd', 'V,pd W,pd I,b'],
  ['66 0F 3A 42 /r', 'Mpsadbw', 'V,x W,x I,b'],
];
