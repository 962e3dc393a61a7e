import { readSentence, pinyinOf } from './reading';
import { toSimplified, hasNonSimplifiedHan } from './simplified';
import { synthesize } from '../synth/synthesize';

// The converter module is loaded only for text that needs it: record when it is.
let mockConverterLoads = 0;
jest.mock('opencc-js/t2cn', () => {
  mockConverterLoads++;
  return jest.requireActual('opencc-js/t2cn');
});

/** Traditional and simplified forms of the same sentence (hand-written, one word each that read wrong before). */
const PAIRS: [string, string][] = [
  ['我們明天一起去公園散步吧。', '我们明天一起去公园散步吧。'],
  ['你跟他說說這件事情。', '你跟他说说这件事情。'],
  ['你想喝茶還是喝咖啡？', '你想喝茶还是喝咖啡？'],
  ['別著急，慢慢來。', '别着急，慢慢来。'],
  ['她的頭髮又長又黑。', '她的头发又长又黑。'],
  ['後來他們再也沒有見過面。', '后来他们再也没有见过面。'],
  ['冬天的空氣非常乾燥。', '冬天的空气非常干燥。'],
  ['臺灣的夏天很熱。', '台湾的夏天很热。'],
  ['屋子裡有很多書。', '屋子里有很多书。'],
  ['我中午想吃一碗牛肉麵。', '我中午想吃一碗牛肉面。'],
  ['這個問題應該怎麼解決？', '这个问题应该怎么解决？'],
  ['圖書館的開門時間是早上八點。', '图书馆的开门时间是早上八点。'],
  ['請把窗戶關上，外面風很大。', '请把窗户关上，外面风很大。'],
  ['經濟發展需要長期的規劃。', '经济发展需要长期的规划。'],
  ['孩子們在操場上快樂地遊戲。', '孩子们在操场上快乐地游戏。'],
  ['醫生說他的身體沒什麼問題。', '医生说他的身体没什么问题。'],
  ['這家銀行的行長剛剛離開。', '这家银行的行长刚刚离开。'],
  ['為了準備考試，他每天學習到很晚。', '为了准备考试，他每天学习到很晚。'],
  ['這本書的作者很著名。', '这本书的作者很著名。'],
  ['聽說東邊的飯館味道不錯。', '听说东边的饭馆味道不错。'],
];

describe('traditional Chinese', () => {
  it('simplified text does not load the converter and comes back as is', () => {
    for (const [, simplified] of PAIRS) {
      expect(hasNonSimplifiedHan(simplified)).toBe(false);
      expect(toSimplified(simplified)).toBe(simplified);
      readSentence(simplified);
    }
    expect(mockConverterLoads).toBe(0);
  });

  it('the traditional form of 20 sentences converts to the simplified form and reads the same pinyin', () => {
    for (const [traditional, simplified] of PAIRS) {
      expect(hasNonSimplifiedHan(traditional)).toBe(true);
      expect(toSimplified(traditional)).toBe(simplified);
      const reading = readSentence(traditional);
      expect(reading.text).toBe(traditional);
      expect(pinyinOf(reading)).toEqual(pinyinOf(readSentence(simplified)));
    }
    expect(mockConverterLoads).toBe(1);
  });

  it('reads the words that went wrong before with their simplified readings', () => {
    const read = (s: string) => pinyinOf(readSentence(s)).join(' ');
    expect(read('我們說說還是很著急。')).toBe('wo3 men5 shuo1 shuo5 hai2 shi4 hen3 zhao2 ji2');
    expect(read('頭髮後來乾燥了。')).toBe('tou2 fa5 hou4 lai2 gan1 zao4 le5');
    expect(read('臺灣這裡的麵')).toBe('tai2 wan1 zhe4 li3 de5 mian4');
    // Hong Kong variants and the Taiwan table's phrase cases; 著 as zhu4 stays.
    expect(toSimplified('衞生粧容，穿著外套，土地很著名')).toBe('卫生妆容，穿着外套，土地很著名');
  });

  it('a traditional sentence synthesises the same samples as its simplified form', async () => {
    const opts = { steps: 1, griffinLimIterations: 2 };
    const traditional = await synthesize('別著急，我們說說後來的事。', opts);
    const simplified = await synthesize('别着急，我们说说后来的事。', opts);
    expect(traditional.audio.length).toBeGreaterThan(22050);
    expect(traditional.audio).toEqual(simplified.audio);
  });
});
