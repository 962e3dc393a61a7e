/**
 * Common words whose last syllable is read in the neutral tone (轻声词). This is a
 * general list of everyday 轻声 words of the kind taught for the Putonghua
 * proficiency test (nouns with 子/头-like suffixes are handled by rules, not here).
 * Whether a word is read light varies between speakers: words this corpus' speaker
 * mostly reads with full tone (知道, 时候, 喜欢, 母亲 ... checked on label ids
 * 1-7000 only) were taken out, so the list errs on the side of full tones.
 */
export const NEUTRAL_LAST_SYLLABLE: readonly string[] = `
朋友 先生 东西 衣服 事情 豆腐 窗户 明白 认识 消息 关系 眼睛 葡萄 太阳 麻烦
谢谢 意思 客气 姑娘 父亲 亲戚 老婆 婆婆 公公 丈夫 妯娌 外甥 师傅 裁缝
喉咙 屁股 帐篷 泥鳅 菩萨 位置 爹爹 星星 猩猩 太太 奶奶 爷爷 姥姥 舅舅 叔叔 伯伯 婶婶 姑姑
哥哥 姐姐 弟弟 妹妹 爸爸 妈妈 宝宝 娃娃 蘑菇 萝卜 玻璃 琵琶 胭脂 石榴 核桃 芝麻 粮食
收拾 老实 扎实 舒服 漂亮 聪明 糊涂 热闹 暖和 利索 啰嗦
商量 招呼 吩咐 嘱咐 折腾 张罗 记得 觉得 晓得 认得 懂得 舍得 显得 使唤 困难
笑话 福气 庄稼 牲口 骆驼 嘴巴 哑巴 结巴 下巴
风筝 灯笼 巴掌 指甲 眉毛 头发 胳膊 膀子 耳朵 心思 念叨 唠叨 嘀咕 吆喝 哆嗦
钥匙 篱笆 笤帚 扫帚 簸箕 被卧 枕头 石头 木头 骨头 馒头 舌头 苗头 念头 甜头 跟头 里头 外头 下头
前头 后头 丫头 苦头 包袱 芝麻 冬瓜 丝瓜 地道 厉害 便宜 合同
模糊 糊弄 别扭 窝囊 体面 阔气 小气 和气 秀气 福分 本分 名分 部分 时辰 亲家 冤家
狐狸 刺猬 苍蝇 蚂蚱 蛤蟆 喇叭 疙瘩 邋遢 溜达 耷拉 扒拉 哆嗦 嘟囔 叨唠 吓唬 忽悠 晃悠 转悠
`
  .split(/\s+/)
  .filter((w) => w !== '');

/**
 * Words whose dictionary reading (from pinyin-pro) differs from the usual reading in
 * read Mandarin; the full pinyin here replaces it, matched on the character string.
 */
export const READING_OVERRIDES: Readonly<Record<string, string>> = {
  当天: 'dang4 tian1',
  当晚: 'dang4 wan3',
  当年: 'dang1 nian2',
  干嘛: 'gan4 ma2',
  // Read speech (and this corpus' speaker, 35 of 49 times in ids 1-7000) keeps huan1.
  喜欢: 'xi3 huan1',
  // 不 inside potential complements and set phrases is light (dictionary ·bu).
  差不多: 'cha4 bu5 duo1',
  看不起: 'kan4 bu5 qi3',
  了不起: 'liao3 bu5 qi3',
  对不起: 'dui4 bu5 qi3',
  受不了: 'shou4 bu5 liao3',
  忍不住: 'ren3 bu5 zhu4',
  应该: 'ying1 gai1',
  似的: 'shi4 de5',
  局长: 'ju2 zhang3',
  乡长: 'xiang1 zhang3',
  所长: 'suo3 zhang3',
  县长: 'xian4 zhang3',
  市长: 'shi4 zhang3',
  村长: 'cun1 zhang3',
  镇长: 'zhen4 zhang3',
  校长: 'xiao4 zhang3',
  院长: 'yuan4 zhang3',
  部长: 'bu4 zhang3',
  科长: 'ke1 zhang3',
  处长: 'chu4 zhang3',
  厅长: 'ting1 zhang3',
  队长: 'dui4 zhang3',
  班长: 'ban1 zhang3',
  社长: 'she4 zhang3',
  站长: 'zhan4 zhang3',
  船长: 'chuan2 zhang3',
  家长: 'jia1 zhang3',
  会长: 'hui4 zhang3',
  组长: 'zu3 zhang3',
  团长: 'tuan2 zhang3',
  营长: 'ying2 zhang3',
  连长: 'lian2 zhang3',
  师长: 'shi1 zhang3',
  军长: 'jun1 zhang3',
  董事长: 'dong3 shi4 zhang3',
  委员长: 'wei3 yuan2 zhang3',
  审判长: 'shen3 pan4 zhang3',
};
