/** Texts shared by the front end's and the synthesiser's tests. */

/** A long text without punctuation (real sentences run together): 220 characters. */
export const LONG_UNPUNCTUATED =
  '今天早上我和朋友们一起去公园散步天气非常好阳光照在湖面上很多老人在树下打太极拳孩子们在草地上放风筝' +
  '我们沿着湖边慢慢地走一边走一边聊最近的工作和生活后来我们在一家小店里吃了早饭店里的包子和豆浆都很好吃' +
  '吃完饭以后我们又去了附近的图书馆借了几本关于历史和旅行的书下午我们打算去博物馆看一个新的展览听说那里' +
  '有很多珍贵的文物晚上回家以后我还要给妈妈打个电话告诉她这个周末我们准备回老家看望爷爷奶奶顺便帮他们收拾院子';
