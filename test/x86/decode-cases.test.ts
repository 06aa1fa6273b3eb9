// Line-per-case decoder table: bytes at 0x140001000 -> Intel text (our formatter), or
// INVALID / TRUNCATED. Every decodable line is also checked against iced-x86: its Intel
// formatter must print the same text and the adapter must give the same Insn.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decode } from '../../src/x86/decode.js';
import { SLOTS, buildAllSlots } from '../../src/x86/opcode-table.js';
import { formatInsn } from '../../src/x86/format.js';
import { DecodeTruncated, Flow } from '../../src/x86/insn.js';
import { icedDecode } from '../support/iced-insn.js';

const ADDR = 0x140001000;

const CASES = `
# general-purpose
55                                | push rbp
48 89 e5                          | mov rbp,rsp
48 83 ec 20                       | sub rsp,20h
48 8b 44 24 08                    | mov rax,[rsp+8]
48 89 4c 24 08                    | mov [rsp+8],rcx
41 57                             | push r15
41 5f                             | pop r15
c3                                | ret
f3 c3                             | rep ret
c2 10 00                          | ret 10h
e8 fb ff ff ff                    | call 0000000140001000h
e9 00 01 00 00                    | jmp 0000000140001105h
eb fe                             | jmp short 0000000140001000h
74 05                             | je short 0000000140001007h
0f 85 f0 ff ff ff                 | jne 0000000140000FF6h
ff 15 10 00 00 00                 | call qword ptr [140001016h]
ff 25 10 00 00 00                 | jmp qword ptr [140001016h]
ff d0                             | call rax
41 ff e3                          | jmp r11
48 8d 05 00 01 00 00              | lea rax,[140001107h]
48 8d 4c 24 20                    | lea rcx,[rsp+20h]
4c 8d 04 49                       | lea r8,[rcx+rcx*2]
31 c0                             | xor eax,eax
48 31 c0                          | xor rax,rax
85 c0                             | test eax,eax
48 85 d2                          | test rdx,rdx
84 c0                             | test al,al
3c 2f                             | cmp al,2Fh
48 3d 00 10 00 00                 | cmp rax,1000h
83 f8 ff                          | cmp eax,0FFFFFFFFh
48 83 c4 28                       | add rsp,28h
48 81 ec 00 10 00 00              | sub rsp,1000h
66 83 f8 01                       | cmp ax,1
80 38 00                          | cmp byte ptr [rax],0
c6 04 24 00                       | mov byte ptr [rsp],0
c7 44 24 20 00 00 00 00           | mov dword ptr [rsp+20h],0
48 c7 c0 ff ff ff ff              | mov rax,0FFFFFFFFFFFFFFFFh
48 b8 88 77 66 55 44 33 22 11     | mov rax,1122334455667788h
b8 01 00 00 00                    | mov eax,1
41 b8 10 00 00 00                 | mov r8d,10h
0f b6 c0                          | movzx eax,al
0f b7 4c 24 02                    | movzx ecx,word ptr [rsp+2]
48 0f be 00                       | movsx rax,byte ptr [rax]
48 63 c8                          | movsxd rcx,eax
48 98                             | cdqe
99                                | cdq
48 99                             | cqo
0f af c1                          | imul eax,ecx
6b c0 0c                          | imul eax,0Ch
69 c0 e8 03 00 00                 | imul eax,3E8h
f7 e1                             | mul ecx
48 f7 f1                          | div rcx
f7 7c 24 08                       | idiv dword ptr [rsp+8]
48 f7 d8                          | neg rax
f7 d0                             | not eax
ff c0                             | inc eax
48 ff c9                          | dec rcx
fe 08                             | dec byte ptr [rax]
d1 e0                             | shl eax,1
48 c1 e8 3f                       | shr rax,3Fh
d3 e2                             | shl edx,cl
48 d3 f8                          | sar rax,cl
0f a4 c2 04                       | shld edx,eax,4
48 0f ad d0                       | shrd rax,rdx,cl
0f a3 c8                          | bt eax,ecx
0f ba e0 1f                       | bt eax,1Fh
48 0f ab 01                       | bts [rcx],rax
0f bc c1                          | bsf eax,ecx
f3 0f bc c1                       | tzcnt eax,ecx
0f bd c1                          | bsr eax,ecx
f3 48 0f bd c1                    | lzcnt rax,rcx
f3 0f b8 c1                       | popcnt eax,ecx
0f c8                             | bswap eax
49 0f c9                          | bswap r9
0f 44 c1                          | cmove eax,ecx
48 0f 4f c2                       | cmovg rax,rdx
0f 94 c0                          | sete al
0f 9f c1                          | setg cl
41 0f 92 c0                       | setb r8b
86 e0                             | xchg al,ah
87 ca                             | xchg edx,ecx
48 87 06                          | xchg [rsi],rax
93                                | xchg ebx,eax
41 90                             | xchg r8d,eax
f0 0f b1 0a                       | lock cmpxchg [rdx],ecx
f0 48 0f c1 01                    | lock xadd [rcx],rax
f0 48 0f c7 0e                    | lock cmpxchg16b [rsi]
f0 0f c7 0f                       | lock cmpxchg8b [rdi]
f0 83 00 01                       | lock add dword ptr [rax],1
f3 a4                             | rep movsb [rdi],[rsi]
f3 48 a5                          | rep movsq [rdi],[rsi]
f3 ab                             | rep stosd [rdi]
f3 48 ab                          | rep stosq [rdi]
f3 a6                             | repe cmpsb [rsi],[rdi]
f2 ae                             | repne scasb [rdi]
ac                                | lodsb [rsi]
aa                                | stosb [rdi]
d7                                | xlat [rbx]
9c                                | pushfq
9d                                | popfq
9e                                | sahf
9f                                | lahf
c8 20 00 00                       | enter 20h,0
c9                                | leave
f8                                | clc
f9                                | stc
f5                                | cmc
fc                                | cld
fd                                | std
0f a2                             | cpuid
0f 31                             | rdtsc
0f 01 f9                          | rdtscp
0f ae e8                          | lfence
0f ae f0                          | mfence
0f ae f8                          | sfence
f3 90                             | pause
f3 48 90                          | pause
90                                | nop
66 90                             | xchg ax,ax
0f 1f 00                          | nop [rax]
0f 1f 40 00                       | nop [rax]
0f 1f 44 00 00                    | nop [rax+rax]
66 0f 1f 44 00 00                 | nop [rax+rax]
0f 1f 80 00 00 00 00              | nop [rax]
66 2e 0f 1f 84 00 00 00 00 00     | nop [rax+rax]
0f 18 08                          | prefetcht0 [rax]
0f 0d 08                          | prefetchw [rax]
cc                                | int3
cd 29                             | int 29h
0f 0b                             | ud2
f4                                | hlt
0f 05                             | syscall
e2 fe                             | loop 0000000140001000h
e1 fe                             | loope 0000000140001000h
e0 fe                             | loopne 0000000140001000h
e3 fe                             | jrcxz 0000000140001000h
67 e3 fe                          | jecxz 0000000140001001h
64 48 8b 04 25 30 00 00 00        | mov rax,fs:[30h]
65 48 8b 04 25 60 00 00 00        | mov rax,gs:[60h]
a1 00 10 00 40 01 00 00 00        | mov eax,[140001000h]
a2 00 00 00 00 00 00 00 00        | mov [0],al
8b 05 10 00 00 00                 | mov eax,[140001016h]
48 8b 84 c8 f0 ff ff ff           | mov rax,[rax+rcx*8-10h]
8b 04 8d 00 00 00 00              | mov eax,[rcx*4]
42 8b 04 a0                       | mov eax,[rax+r12*4]
# prefix rules
66 66 66 66 66 66 66 66 66 66 66 66 66 66 90| xchg ax,ax
48 66 8b 00                       | mov ax,[rax]
66 48 8b 00                       | mov rax,[rax]
40 f3 90                          | pause
f2 f3 0f 10 c1                    | movss xmm0,xmm1
f3 f2 0f 10 c1                    | movsd xmm0,xmm1
66 f3 0f b8 c1                    | popcnt ax,cx
2e 64 8b 00                       | mov eax,fs:[rax]
65 64 8b 00                       | mov eax,fs:[rax]
f0 0f ab 00                       | lock bts [rax],eax
66 ff e0                          | jmp rax
66 e8 00 00 00 00                 | call 0000000140001006h
66 c3                             | ret
67 8b 05 00 00 00 00              | mov eax,[40001007h]
67 8b 04 25 00 00 00 80           | mov eax,[80000000h]
67 f3 a4                          | rep movsb [edi],[esi]
f6 c8 01                          | test al,1
# SSE, SSE2, SSE3, SSSE3, SSE4.1, SSE4.2
0f 28 c1                          | movaps xmm0,xmm1
0f 29 44 24 20                    | movaps [rsp+20h],xmm0
66 0f 28 c1                       | movapd xmm0,xmm1
0f 10 00                          | movups xmm0,[rax]
0f 11 00                          | movups [rax],xmm0
66 0f 10 00                       | movupd xmm0,[rax]
f3 0f 10 44 24 04                 | movss xmm0,[rsp+4]
f3 0f 11 00                       | movss [rax],xmm0
f2 0f 10 05 00 01 00 00           | movsd xmm0,[140001108h]
f2 0f 11 4c 24 08                 | movsd [rsp+8],xmm1
0f 12 00                          | movlps xmm0,[rax]
0f 12 c1                          | movhlps xmm0,xmm1
0f 13 00                          | movlps [rax],xmm0
0f 16 00                          | movhps xmm0,[rax]
0f 16 c1                          | movlhps xmm0,xmm1
0f 17 00                          | movhps [rax],xmm0
66 0f 12 00                       | movlpd xmm0,[rax]
66 0f 16 00                       | movhpd xmm0,[rax]
66 0f 6e c0                       | movd xmm0,eax
66 48 0f 6e c0                    | movq xmm0,rax
66 0f 7e c0                       | movd eax,xmm0
66 48 0f 7e c0                    | movq rax,xmm0
f3 0f 7e c1                       | movq xmm0,xmm1
66 0f d6 00                       | movq [rax],xmm0
66 0f 6f 00                       | movdqa xmm0,[rax]
f3 0f 6f 00                       | movdqu xmm0,[rax]
66 0f 7f 00                       | movdqa [rax],xmm0
f3 0f 7f 00                       | movdqu [rax],xmm0
0f c3 00                          | movnti [rax],eax
48 0f c3 00                       | movnti [rax],rax
66 0f e7 00                       | movntdq [rax],xmm0
0f 2b 00                          | movntps [rax],xmm0
66 0f 2b 00                       | movntpd [rax],xmm0
0f 58 c1                          | addps xmm0,xmm1
66 0f 58 c1                       | addpd xmm0,xmm1
f3 0f 58 c1                       | addss xmm0,xmm1
f2 0f 58 c1                       | addsd xmm0,xmm1
f2 0f 5c c1                       | subsd xmm0,xmm1
f2 0f 59 c1                       | mulsd xmm0,xmm1
f2 0f 5e c1                       | divsd xmm0,xmm1
f2 0f 5d c1                       | minsd xmm0,xmm1
f2 0f 5f c1                       | maxsd xmm0,xmm1
f2 0f 51 c1                       | sqrtsd xmm0,xmm1
0f 53 c1                          | rcpps xmm0,xmm1
f3 0f 52 c1                       | rsqrtss xmm0,xmm1
0f 54 c1                          | andps xmm0,xmm1
66 0f 55 c1                       | andnpd xmm0,xmm1
0f 56 c1                          | orps xmm0,xmm1
0f 57 c0                          | xorps xmm0,xmm0
66 0f 57 c0                       | xorpd xmm0,xmm0
0f c2 c1 00                       | cmpeqps xmm0,xmm1
f2 0f c2 c1 01                    | cmpltsd xmm0,xmm1
f3 0f c2 c1 06                    | cmpnless xmm0,xmm1
66 0f c2 c1 07                    | cmpordpd xmm0,xmm1
0f c2 c1 08                       | cmpps xmm0,xmm1,8
0f 2e c1                          | ucomiss xmm0,xmm1
66 0f 2f c1                       | comisd xmm0,xmm1
f2 0f 2a c0                       | cvtsi2sd xmm0,eax
f2 48 0f 2a c0                    | cvtsi2sd xmm0,rax
f3 0f 2a 00                       | cvtsi2ss xmm0,dword ptr [rax]
f2 0f 2c c0                       | cvttsd2si eax,xmm0
f2 48 0f 2d c0                    | cvtsd2si rax,xmm0
f3 0f 2c c0                       | cvttss2si eax,xmm0
f3 0f 5a c0                       | cvtss2sd xmm0,xmm0
f2 0f 5a c0                       | cvtsd2ss xmm0,xmm0
0f 5a c0                          | cvtps2pd xmm0,xmm0
66 0f 5a c0                       | cvtpd2ps xmm0,xmm0
0f 5b c0                          | cvtdq2ps xmm0,xmm0
66 0f 5b c0                       | cvtps2dq xmm0,xmm0
f3 0f 5b c0                       | cvttps2dq xmm0,xmm0
f3 0f e6 c0                       | cvtdq2pd xmm0,xmm0
66 0f e6 c0                       | cvttpd2dq xmm0,xmm0
f2 0f e6 c0                       | cvtpd2dq xmm0,xmm0
0f c6 c1 44                       | shufps xmm0,xmm1,44h
66 0f c6 c1 01                    | shufpd xmm0,xmm1,1
0f 14 c1                          | unpcklps xmm0,xmm1
0f 15 c1                          | unpckhps xmm0,xmm1
66 0f 14 c1                       | unpcklpd xmm0,xmm1
66 0f 15 c1                       | unpckhpd xmm0,xmm1
0f 50 c1                          | movmskps eax,xmm1
66 0f 50 c1                       | movmskpd eax,xmm1
66 0f d7 c1                       | pmovmskb eax,xmm1
0f ae 10                          | ldmxcsr [rax]
0f ae 18                          | stmxcsr [rax]
0f ae 00                          | fxsave [rax]
48 0f ae 08                       | fxrstor64 [rax]
66 0f fe c1                       | paddd xmm0,xmm1
66 0f d4 c1                       | paddq xmm0,xmm1
66 0f fa c1                       | psubd xmm0,xmm1
66 0f dc c1                       | paddusb xmm0,xmm1
66 0f e9 c1                       | psubsw xmm0,xmm1
66 0f d5 c1                       | pmullw xmm0,xmm1
66 0f e5 c1                       | pmulhw xmm0,xmm1
66 0f f4 c1                       | pmuludq xmm0,xmm1
66 0f f5 c1                       | pmaddwd xmm0,xmm1
66 0f e0 c1                       | pavgb xmm0,xmm1
66 0f da c1                       | pminub xmm0,xmm1
66 0f ee c1                       | pmaxsw xmm0,xmm1
66 0f f6 c1                       | psadbw xmm0,xmm1
66 0f 74 c1                       | pcmpeqb xmm0,xmm1
66 0f 66 c1                       | pcmpgtd xmm0,xmm1
66 0f db c1                       | pand xmm0,xmm1
66 0f df c1                       | pandn xmm0,xmm1
66 0f eb c1                       | por xmm0,xmm1
66 0f ef c0                       | pxor xmm0,xmm0
66 0f f1 c1                       | psllw xmm0,xmm1
66 0f 72 f0 03                    | pslld xmm0,3
66 0f 71 e0 02                    | psraw xmm0,2
66 0f 73 d0 20                    | psrlq xmm0,20h
66 0f 73 f8 08                    | pslldq xmm0,8
66 0f 73 d8 04                    | psrldq xmm0,4
66 0f 63 c1                       | packsswb xmm0,xmm1
66 0f 6b c1                       | packssdw xmm0,xmm1
66 0f 67 c1                       | packuswb xmm0,xmm1
66 0f 60 c1                       | punpcklbw xmm0,xmm1
66 0f 6c c1                       | punpcklqdq xmm0,xmm1
66 0f 6d c1                       | punpckhqdq xmm0,xmm1
66 0f 70 c1 1b                    | pshufd xmm0,xmm1,1Bh
f3 0f 70 c1 1b                    | pshufhw xmm0,xmm1,1Bh
f2 0f 70 c1 1b                    | pshuflw xmm0,xmm1,1Bh
66 0f c4 c1 03                    | pinsrw xmm0,ecx,3
66 0f c5 c1 03                    | pextrw eax,xmm1,3
f2 0f 12 c1                       | movddup xmm0,xmm1
f3 0f 16 c1                       | movshdup xmm0,xmm1
f3 0f 12 c1                       | movsldup xmm0,xmm1
66 0f 7c c1                       | haddpd xmm0,xmm1
f2 0f 7c c1                       | haddps xmm0,xmm1
66 0f 7d c1                       | hsubpd xmm0,xmm1
f2 0f d0 c1                       | addsubps xmm0,xmm1
f2 0f f0 00                       | lddqu xmm0,[rax]
66 0f 38 00 c1                    | pshufb xmm0,xmm1
66 0f 3a 0f c1 08                 | palignr xmm0,xmm1,8
66 0f 38 01 c1                    | phaddw xmm0,xmm1
66 0f 38 1c c1                    | pabsb xmm0,xmm1
66 0f 38 08 c1                    | psignb xmm0,xmm1
66 0f 38 04 c1                    | pmaddubsw xmm0,xmm1
66 0f 38 0b c1                    | pmulhrsw xmm0,xmm1
66 0f 38 20 c1                    | pmovsxbw xmm0,xmm1
66 0f 38 30 00                    | pmovzxbw xmm0,[rax]
66 0f 38 25 c1                    | pmovsxdq xmm0,xmm1
66 0f 38 39 c1                    | pminsd xmm0,xmm1
66 0f 38 3f c1                    | pmaxud xmm0,xmm1
66 0f 38 40 c1                    | pmulld xmm0,xmm1
66 0f 38 28 c1                    | pmuldq xmm0,xmm1
66 0f 3a 20 c0 01                 | pinsrb xmm0,eax,1
66 0f 3a 22 c0 01                 | pinsrd xmm0,eax,1
66 48 0f 3a 22 c0 01              | pinsrq xmm0,rax,1
66 0f 3a 14 c0 01                 | pextrb eax,xmm0,1
66 0f 3a 16 c0 01                 | pextrd eax,xmm0,1
66 48 0f 3a 16 c0 01              | pextrq rax,xmm0,1
66 0f 3a 17 c0 01                 | extractps eax,xmm0,1
66 0f 3a 21 c1 10                 | insertps xmm0,xmm1,10h
66 0f 3a 0c c1 05                 | blendps xmm0,xmm1,5
66 0f 3a 0d c1 01                 | blendpd xmm0,xmm1,1
66 0f 38 14 c1                    | blendvps xmm0,xmm1
66 0f 38 15 c1                    | blendvpd xmm0,xmm1
66 0f 38 10 c1                    | pblendvb xmm0,xmm1
66 0f 3a 0e c1 0f                 | pblendw xmm0,xmm1,0Fh
66 0f 3a 08 c1 01                 | roundps xmm0,xmm1,1
66 0f 3a 0b c1 04                 | roundsd xmm0,xmm1,4
66 0f 3a 40 c1 ff                 | dpps xmm0,xmm1,0FFh
66 0f 3a 41 c1 31                 | dppd xmm0,xmm1,31h
66 0f 38 17 c1                    | ptest xmm0,xmm1
66 0f 38 29 c1                    | pcmpeqq xmm0,xmm1
66 0f 38 2b c1                    | packusdw xmm0,xmm1
66 0f 38 2a 00                    | movntdqa xmm0,[rax]
66 0f 38 41 c1                    | phminposuw xmm0,xmm1
66 0f 3a 42 c1 00                 | mpsadbw xmm0,xmm1,0
66 0f 38 37 c1                    | pcmpgtq xmm0,xmm1
# x87
d9 00                             | fld st,dword ptr [rax]
dd 44 24 08                       | fld st,qword ptr [rsp+8]
db 28                             | fld st,tbyte ptr [rax]
d9 18                             | fstp dword ptr [rax],st
dd 1c 24                          | fstp qword ptr [rsp],st
db 3c 24                          | fstp tbyte ptr [rsp],st
d9 5c 24 04                       | fstp dword ptr [rsp+4],st
dd 54 24 08                       | fst qword ptr [rsp+8],st
df 00                             | fild st,word ptr [rax]
db 00                             | fild st,dword ptr [rax]
df 28                             | fild st,qword ptr [rax]
db 18                             | fistp dword ptr [rax],st
df 3c 24                          | fistp qword ptr [rsp],st
dd 08                             | fisttp qword ptr [rax],st
db 08                             | fisttp dword ptr [rax],st
df 08                             | fisttp word ptr [rax],st
de 00                             | fiadd st,word ptr [rax]
da 08                             | fimul st,dword ptr [rax]
d8 00                             | fadd st,dword ptr [rax]
dc 48 08                          | fmul st,qword ptr [rax+8]
d8 20                             | fsub st,dword ptr [rax]
dc 28                             | fsubr st,qword ptr [rax]
d8 30                             | fdiv st,dword ptr [rax]
dc 38                             | fdivr st,qword ptr [rax]
de 10                             | ficom st,word ptr [rax]
da 18                             | ficomp st,dword ptr [rax]
d8 10                             | fcom st,dword ptr [rax]
dc 18                             | fcomp st,qword ptr [rax]
d9 e8                             | fld1
d9 ee                             | fldz
d9 eb                             | fldpi
d9 ea                             | fldl2e
d9 e9                             | fldl2t
d9 ec                             | fldlg2
d9 ed                             | fldln2
d9 e0                             | fchs
d9 e1                             | fabs
d9 fa                             | fsqrt
d9 fc                             | frndint
d9 fd                             | fscale
d9 f4                             | fxtract
d9 f8                             | fprem
d9 f5                             | fprem1
d9 f0                             | f2xm1
d9 f1                             | fyl2x
d9 f9                             | fyl2xp1
d9 f2                             | fptan
d9 f3                             | fpatan
d9 fe                             | fsin
d9 ff                             | fcos
d9 fb                             | fsincos
d9 e4                             | ftst
d9 e5                             | fxam
d8 c1                             | fadd st,st(1)
dc c1                             | fadd st(1),st
de c1                             | faddp
de c9                             | fmulp
de e9                             | fsubp
de e1                             | fsubrp
de f9                             | fdivp
de f1                             | fdivrp
d8 e1                             | fsub st,st(1)
dc e1                             | fsubr st(1),st
d8 f9                             | fdivr st,st(1)
d9 c1                             | fld st,st(1)
dd d8                             | fstp st(0),st
dd d9                             | fstp st(1),st
dd d1                             | fst st(1),st
d9 c9                             | fxch
d9 ca                             | fxch st,st(2)
d8 d1                             | fcom
d8 d9                             | fcomp
de d9                             | fcompp
dd e1                             | fucom
dd e9                             | fucomp
da e9                             | fucompp
db e9                             | fucomi st,st(1)
db f1                             | fcomi st,st(1)
df e9                             | fucomip st,st(1)
df f1                             | fcomip st,st(1)
da c1                             | fcmovb st,st(1)
da c9                             | fcmove st,st(1)
da d1                             | fcmovbe st,st(1)
da d9                             | fcmovu st,st(1)
db c1                             | fcmovnb st,st(1)
db c9                             | fcmovne st,st(1)
db d1                             | fcmovnbe st,st(1)
db d9                             | fcmovnu st,st(1)
d9 7c 24 0e                       | fnstcw [rsp+0Eh]
d9 6c 24 0c                       | fldcw [rsp+0Ch]
dd 7c 24 08                       | fnstsw [rsp+8]
df e0                             | fnstsw ax
d9 30                             | fnstenv [rax]
d9 20                             | fldenv [rax]
dd 30                             | fnsave [rax]
dd 20                             | frstor [rax]
66 dd 33                          | fnsave fpustate94 ptr [rbx]
66 dd 23                          | frstor fpustate94 ptr [rbx]
66 48 dd 23                       | frstor [rbx]
db e2                             | fnclex
db e3                             | fninit
9b                                | fwait
dd c1                             | ffree st(1)
d9 f6                             | fdecstp
d9 f7                             | fincstp
d9 d0                             | fnop
# INVALID: outside the supported set, or #UD on real hardware
f0 01 c0                          | INVALID      LOCK on a register destination
f0 89 00                          | INVALID      LOCK on MOV
f0 0f a3 00                       | INVALID      LOCK on BT (only BTS/BTR/BTC take it)
0f fc c1                          | INVALID      MMX-register PADDB
0f 2a c1                          | INVALID      CVTPI2PS (MMX)
0f 77                             | INVALID      EMMS
0f 38 00 c1                       | INVALID      MMX PSHUFB
c5 f8 77                          | INVALID      VEX VZEROUPPER
62 f1 7c 48 58 c1                 | INVALID      EVEX
8f e9 78 e1 c1                    | INVALID      XOP
0f 0f c1 9e                       | INVALID      3DNow!
06                                | INVALID      PUSH ES does not exist in 64-bit mode
f2 0f 28 c1                       | INVALID      MOVAPS has no F2 form
66 0f ae e8                       | INVALID      LFENCE with 66
8e c0                             | INVALID      MOV to a segment register
fa                                | INVALID      CLI
0f 01 d0                          | INVALID      XGETBV
d9 08                             | INVALID      D9 /1 is undefined
ff 38                             | INVALID      FF /7 is undefined
0f 0d c0                          | INVALID      register-form PREFETCH (a reserved NOP)
66 66 66 66 66 66 66 66 66 66 66 66 66 66 66 90 | INVALID  16 bytes: over the 15-byte limit
# TRUNCATED: the bytes end before the instruction does
48                                | TRUNCATED
48 8b                             | TRUNCATED
48 8b 44 24                       | TRUNCATED
e8 00 00                          | TRUNCATED
48 b8 00 00 00 00                 | TRUNCATED
0f                                | TRUNCATED
66 0f 38                          | TRUNCATED
f3                                | TRUNCATED
c7 04 25 00 00 00 00 01 00        | TRUNCATED
`;

interface Case { hex: string; expected: string; section: string }

function parseCases(): Case[] {
  const out: Case[] = [];
  let section = '';
  for (const line of CASES.split('\n')) {
    if (line.startsWith('#')) { section = line.slice(1).trim(); continue; }
    if (!line.trim()) continue;
    const [hex, rest] = line.split('|') as [string, string];
    out.push({ hex: hex.trim(), expected: rest.trim().split(/\s{2,}/)[0]!, section });
  }
  return out;
}

function bytesOf(hex: string): Uint8Array {
  return Uint8Array.from(hex.split(' ').map((x) => parseInt(x, 16)));
}

const cases = parseCases();
const sections = [...new Set(cases.map((c) => c.section))];

for (const section of sections) {
  test(`decoder table: ${section}`, () => {
    for (const { hex, expected } of cases.filter((c) => c.section === section)) {
      const bytes = bytesOf(hex);
      if (expected === 'TRUNCATED') {
        assert.throws(() => decode(bytes, 0, ADDR), DecodeTruncated, hex);
        continue;
      }
      const insn = decode(bytes, 0, ADDR);
      if (expected === 'INVALID') {
        assert.equal(insn.mnemonic, 'INVALID', `${hex}: ${formatInsn(insn)}`);
        assert.equal(insn.flow, Flow.Trap, hex);
        assert.ok(insn.len >= 1, hex);
        continue;
      }
      assert.equal(formatInsn(insn), expected, hex);
      const iced = icedDecode(bytes, ADDR);
      assert.ok(iced, `${hex}: iced rejects it`);
      assert.equal(iced.text, expected, `${hex}: iced prints it differently`);
      assert.deepEqual(insn, iced.insn, `${hex}: Insn differs from iced's`);
    }
  });
}

// The CPU executes F3 REX.B 90 as XCHG r8-r15, rAX (REX.B picks the register as in 90+r);
// iced-x86 says PAUSE. We follow the CPU (test/fuzz/regressions.test.ts runs it natively;
// test/x86/iced-diff.ts holds the matching exception).
test('F3 REX.B 90 decodes as XCHG, not PAUSE', () => {
  assert.equal(formatInsn(decode(bytesOf('f3 41 90'), 0, ADDR)), 'xchg r8d,eax');
  assert.equal(formatInsn(decode(bytesOf('f3 49 90'), 0, ADDR)), 'xchg r8,rax');
  assert.equal(formatInsn(decode(bytesOf('66 f3 41 90'), 0, ADDR)), 'xchg r8w,ax');
  assert.equal(icedDecode(bytesOf('f3 41 90'), ADDR)?.text, 'pause');
});

test('decodes at an offset inside a larger buffer, and stops at the 15-byte limit there too', () => {
  const buf = bytesOf('cc cc cc 48 8b 05 10 00 00 00 cc');
  const insn = decode(buf, 3, 0x2000);
  assert.equal(insn.len, 7);
  assert.equal(insn.ops[1]!.disp, 0x2017);
  assert.deepEqual([...insn.bytes], [0x48, 0x8b, 0x05, 0x10, 0, 0, 0]);
  const long = new Uint8Array(40).fill(0x66);
  assert.equal(decode(long, 5, 0).mnemonic, 'INVALID');
});

test('every decoder table row compiles (the decoder otherwise builds slots on first use)', () => {
  buildAllSlots();
  const filled = SLOTS.filter((n) => n !== null).length;
  // One-byte map, 0F, 0F 38 and 0F 3A together name several hundred opcode slots.
  assert.ok(filled > 400, `${filled} slots filled`);
});
