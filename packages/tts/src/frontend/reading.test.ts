import { pinyinOf, readSentence, readSentences, readText } from './reading';

const py = (text: string) => pinyinOf(readSentence(text)).join(' ');

describe('tone sandhi', () => {
  it.each([
    ['你好', 'ni2 hao3'],
    ['老鼠', 'lao2 shu3'],
    ['水果', 'shui2 guo3'],
    ['展览馆', 'zhan2 lan2 guan3'],
    // A prosodic-word break before a 2-syllable word: [小][老虎] -> 3 2 3.
    ['小#1老虎', 'xiao3 lao2 hu3'],
    // Sandhi does not cross a comma.
    ['我，也', 'wo3 ye3'],
  ])('third tone: %s -> %s', (text, expected) => {
    expect(py(text)).toBe(expected);
  });

  it.each([
    ['一天', 'yi4 tian1'],
    ['一年', 'yi4 nian2'],
    ['一起', 'yi4 qi3'],
    ['一样', 'yi2 yang4'],
    ['第一', 'di4 yi1'],
    ['统一', 'tong3 yi1'],
    ['十一', 'shi2 yi1'],
    ['不是', 'bu2 shi4'],
    ['不对', 'bu2 dui4'],
    ['不好', 'bu4 hao3'],
    ['不来', 'bu4 lai2'],
  ])('一/不: %s -> %s', (text, expected) => {
    expect(py(text)).toBe(expected);
  });

  it('一个 -> yi2 ge4: 一 becomes yi2 before the fourth tone of 个', () => {
    expect(py('一个')).toBe('yi2 ge4');
  });

  it('inside a phrase the measure word 个 is read light, and 一 still sees its underlying tone 4', () => {
    const [yi, ge] = readSentence('一个人').units[0].syllables;
    expect(yi.pinyin).toBe('yi2');
    expect(ge.lexicalTone).toBe(4);
    expect(ge.pinyin).toBe('ge5');
  });

  it('digits keep yi1 (numbers are read in citation form)', () => {
    expect(py('1天')).toBe('yi1 tian1');
  });
});

describe('polyphones (phrase-aware)', () => {
  it.each([
    ['银行', 'yin2 hang2'],
    ['行长', 'hang2 zhang3'],
    ['重庆', 'chong2 qing4'],
    ['长大', 'zhang3 da4'],
    ['音乐', 'yin1 yue4'],
    ['快乐', 'kuai4 le4'],
    ['重要', 'zhong4 yao4'],
    ['行走', 'xing2 zou3'],
    ['成为', 'cheng2 wei2'],
    ['为了', 'wei4 le5'],
  ])('%s -> %s', (text, expected) => {
    expect(py(text)).toBe(expected);
  });
});

describe('neutral tone and erhua', () => {
  it.each([
    ['我们', 'wo3 men5'],
    ['桌子', 'zhuo1 zi5'],
    ['朋友', 'peng2 you5'],
    ['好的', 'hao3 de5'],
    ['跑得快', 'pao3 de5 kuai4'],
    ['男子', 'nan2 zi3'],
    ['玩儿', 'wanr2'],
    ['一会儿', 'yi2 huir4'],
    ['女儿', 'nv3 er2'],
    ['儿子', 'er2 zi5'],
  ])('%s -> %s', (text, expected) => {
    expect(py(text)).toBe(expected);
  });

  it('an erhua syllable carries both characters and an r-coloured final', () => {
    const [s] = readSentence('玩儿').units[0].syllables;
    expect(s).toMatchObject({ hanzi: '玩儿', initial: '', final: 'uanr', tone: 2 });
  });
});

describe('structured reading', () => {
  it('groups syllables into prosodic units with breaks after them', () => {
    const reading = readSentence('卡尔普#2陪外孙#1玩滑梯#4。');
    expect(reading.units.map((u) => [u.text, u.breakAfter])).toEqual([
      ['卡尔普', 2],
      ['陪外孙', 1],
      ['玩滑梯', 4],
    ]);
    expect(reading.units[0].syllables[0]).toMatchObject({ hanzi: '卡', pinyin: 'ka2', initial: 'k', final: 'a', tone: 2, lexicalTone: 3 });
    expect(pinyinOf(reading).join(' ')).toBe('ka2 er2 pu3 pei2 wai4 sun1 wan2 hua2 ti1');
  });

  it('reads a multi-sentence text and collects warnings', () => {
    const reading = readText('今天是2024年3月5日。会议10:30开始！地址@北京');
    expect(reading.sentences).toHaveLength(3);
    expect(reading.sentences[0].units.map((u) => u.text).join('')).toBe('今天是二零二四年三月五日');
    expect(pinyinOf(reading.sentences[1]).slice(2, 7).join(' ')).toBe('shi2 dian3 san1 shi2 fen1');
    expect(reading.warnings).toEqual(['dropped unknown symbol "@" (U+0040) at 2']);
  });

  it('reads phone numbers digit by digit with 1 as yao1', () => {
    expect(py('13800138000')).toBe('yao1 san1 ba1 ling2 ling2 yao1 san1 ba1 ling2 ling2 ling2');
  });

  it('marks the sentence end as a level-4 break', () => {
    const reading = readSentence('你好');
    expect(reading.units[reading.units.length - 1].breakAfter).toBe(4);
  });
});

describe('structural particles and 为', () => {
  it.each([
    ['他悄悄地走了', 'ta1 qiao1 qiao1 de5 zou3 le5'],
    ['在地上', 'zai4 di4 shang4'],
    ['我们认为这是对的', 'wo3 men5 ren4 wei2 zhe4 shi4 dui4 de5'],
    ['图为我们展示了', 'tu2 wei2 wo3 men5 zhan3 shi4 le5'],
    ['为什么', 'wei4 shen2 me5'],
  ])('%s -> %s', (text, expected) => {
    expect(py(text)).toBe(expected);
  });
});

describe('prosodic units without marks', () => {
  it('attaches clitics to the word before and keeps units short', () => {
    const units = readSentence('他们的朋友来了').units.map((u) => u.text);
    expect(units).toEqual(['他们的', '朋友', '来了']);
  });

  it('can leave a clause as one unit', () => {
    const units = readSentence('他们的朋友来了，真好', { predictProsody: false }).units.map((u) => [u.text, u.breakAfter]);
    expect(units).toEqual([
      ['他们的朋友来了', 3],
      ['真好', 4],
    ]);
  });
});

describe('readSentences', () => {
  it('yields readings lazily, one sentence at a time', () => {
    const iterator = readSentences('你好。' + '再见，'.repeat(100000) + '完。');
    expect(pinyinOf(iterator.next().value as ReturnType<typeof readSentence>)).toEqual(['ni2', 'hao3']);
  });
});
