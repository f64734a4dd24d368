import { m } from '../../domain/i18n.js';
import { enumSetting, intSetting, listSetting, stringSetting, timeSetting } from './kinds.js';
import type { SettingDef } from './types.js';

export const settlementSettings: SettingDef[] = [
  stringSetting(
    'settlement.bankCode',
    '0000',
    {
      zh: '银行/网点代码（4 位，出现在清算文件名中）',
      en: 'bank/branch code (4 characters, part of clearing file names)',
    },
    /^[0-9A-Za-z]{4}$/,
    m('正好 4 位字母或数字', 'exactly 4 letters or digits'),
  ),
  timeSetting('settlement.openAt', '08:30', { zh: '启动财政划拨服务时间', en: 'start of service time' }),
  timeSetting('settlement.cutoffAt', '15:30', { zh: '停止财政划拨服务（截止）时间', en: 'cutoff time' }),
  enumSetting('settlement.fileEncoding', 'gbk', ['gbk', 'utf8'] as const, {
    zh: '清算文件编码',
    en: 'clearing file encoding',
  }),
  intSetting(
    'settlement.maxRowsPerFile',
    499,
    { zh: '单个清算文件最多明细行数', en: 'most detail rows in one clearing file' },
    1,
    100000,
  ),
  stringSetting('settlement.outDir', '', {
    zh: '清算文件目录（空：数据目录下 clearing/）',
    en: 'clearing file directory (empty: clearing/ under the data directory)',
  }),
  listSetting(
    'settlement.copyTo',
    [],
    {
      zh: '清算文件另存的目录（逗号分隔：归档目录、传输介质），每份副本用 SHA-256 校验',
      en: 'directories the clearing files are also copied to (comma-separated: the archive, the transfer medium); each copy verified by SHA-256',
    },
    { mayBeEmpty: true },
  ),
  listSetting('settlement.accountClasses', ['财政授权支付', '财政直接支付', '其他'], {
    zh: '账户分类',
    en: 'account classes',
  }),
  stringSetting('settlement.defaultAccountClass', '财政授权支付', {
    zh: '未写账户分类的交易（流水中该列为空、订单回款未指定）记入的分类',
    en: 'the account class of a transaction that names none (an empty feed cell, a receipt without one)',
  }),
  intSetting('settlement.pageLines', 50, { zh: '打印清单每页行数', en: 'lines per printed page' }, 10, 1000),
];
