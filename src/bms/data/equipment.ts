/** Equipment classes of a building-management system, with Haystack-style equipment tags. */
export type EquipClass = 'ahu' | 'vav' | 'fcu' | 'chiller' | 'boiler' | 'meter';

export type PointKind = 'sensor' | 'sp' | 'cmd';

/** One kind of point an equipment class exposes, as BMS exports name it. */
export interface PointTemplate {
  /** Canonical point code, e.g. SA-T. */
  code: string;
  /** Spellings seen in real exports for the same point (normalize maps them to `code`). */
  aliases: readonly string[];
  description: string;
  kind: PointKind;
  /** Haystack-style marker tags besides the kind. */
  tags: readonly string[];
  unit: string;
  /** Plausible value range, used to generate values and to validate them. */
  min: number;
  max: number;
}

export interface EquipTemplate {
  cls: EquipClass;
  /** Prefix in point names: AHU, VAV, FCU, CH, BLR, MTR. */
  prefix: string;
  aliases: readonly string[];
  tags: readonly string[];
  description: string;
  points: readonly PointTemplate[];
}

const p = (code: string, aliases: string[], description: string, kind: PointKind, tags: string[], unit: string, min: number, max: number): PointTemplate =>
  ({ code, aliases, description, kind, tags, unit, min, max });

export const EQUIPMENT: readonly EquipTemplate[] = [
  {
    cls: 'ahu',
    prefix: 'AHU',
    aliases: ['AHU', 'AH', 'AHU_'],
    tags: ['ahu', 'equip', 'air'],
    description: 'Air Handling Unit',
    points: [
      p('SA-T', ['SAT', 'SA_T', 'SUP-AIR-TEMP'], 'Supply Air Temperature', 'sensor', ['discharge', 'air', 'temp'], '°C', 8, 24),
      p('RA-T', ['RAT', 'RA_T', 'RET-AIR-TEMP'], 'Return Air Temperature', 'sensor', ['return', 'air', 'temp'], '°C', 16, 30),
      p('MA-T', ['MAT', 'MA_T'], 'Mixed Air Temperature', 'sensor', ['mixed', 'air', 'temp'], '°C', 5, 28),
      p('OA-T', ['OAT', 'OA_T'], 'Outside Air Temperature', 'sensor', ['outside', 'air', 'temp'], '°C', -25, 45),
      p('SA-TSP', ['SATSP', 'SA_T_SP', 'SAT-SP'], 'Supply Air Temperature Setpoint', 'sp', ['discharge', 'air', 'temp'], '°C', 10, 20),
      p('SA-P', ['SAP', 'DSP', 'DUCT-SP'], 'Duct Static Pressure', 'sensor', ['discharge', 'air', 'pressure'], 'Pa', 0, 1000),
      p('SF-S', ['SFS', 'SF_STS', 'SUP-FAN-STS'], 'Supply Fan Status', 'sensor', ['discharge', 'fan', 'run'], '', 0, 1),
      p('SF-C', ['SFC', 'SF_CMD', 'SUP-FAN-CMD'], 'Supply Fan Command', 'cmd', ['discharge', 'fan', 'run'], '', 0, 1),
      p('OAD-C', ['OADC', 'OA_DMPR', 'OAD-POS'], 'Outside Air Damper Command', 'cmd', ['outside', 'air', 'damper'], '%', 0, 100),
      p('CHW-V', ['CHWV', 'CLG-VLV', 'CC_VLV'], 'Chilled Water Valve Command', 'cmd', ['chilled', 'water', 'valve'], '%', 0, 100),
      p('SA-F', ['SAF', 'SA_FLOW'], 'Supply Airflow', 'sensor', ['discharge', 'air', 'flow'], 'L/s', 0, 20000),
    ],
  },
  {
    cls: 'vav',
    prefix: 'VAV',
    aliases: ['VAV', 'VB', 'VAV_'],
    tags: ['vav', 'equip', 'air', 'terminal'],
    description: 'Variable Air Volume Box',
    points: [
      p('ZN-T', ['ZNT', 'ZN_T', 'SPACE-TEMP', 'RM-T'], 'Zone Temperature', 'sensor', ['zone', 'air', 'temp'], '°C', 15, 30),
      p('ZN-TSP', ['ZNTSP', 'ZN_T_SP', 'RM-SP'], 'Zone Temperature Setpoint', 'sp', ['zone', 'air', 'temp'], '°C', 18, 26),
      p('DMP-C', ['DMPC', 'DMPR_POS', 'DPR-CMD'], 'Damper Command', 'cmd', ['air', 'damper'], '%', 0, 100),
      p('AF', ['FLOW', 'AIRFLOW', 'AF_ACT'], 'Airflow', 'sensor', ['discharge', 'air', 'flow'], 'L/s', 0, 800),
      p('RH-V', ['RHV', 'RHT-VLV', 'HTG-VLV'], 'Reheat Valve Command', 'cmd', ['hot', 'water', 'valve', 'reheat'], '%', 0, 100),
    ],
  },
  {
    cls: 'fcu',
    prefix: 'FCU',
    aliases: ['FCU', 'FC', 'FCU_'],
    tags: ['fcu', 'equip', 'air', 'terminal'],
    description: 'Fan Coil Unit',
    points: [
      p('ZN-T', ['ZNT', 'ZN_T', 'RM-T'], 'Zone Temperature', 'sensor', ['zone', 'air', 'temp'], '°C', 15, 30),
      p('ZN-TSP', ['ZNTSP', 'RM-SP'], 'Zone Temperature Setpoint', 'sp', ['zone', 'air', 'temp'], '°C', 18, 26),
      p('FAN-S', ['FANS', 'FAN_STS'], 'Fan Status', 'sensor', ['fan', 'run'], '', 0, 1),
      p('CHW-V', ['CHWV', 'CLG-VLV'], 'Chilled Water Valve Command', 'cmd', ['chilled', 'water', 'valve'], '%', 0, 100),
      p('HW-V', ['HWV', 'HTG-VLV'], 'Hot Water Valve Command', 'cmd', ['hot', 'water', 'valve'], '%', 0, 100),
    ],
  },
  {
    cls: 'chiller',
    prefix: 'CH',
    aliases: ['CH', 'CHLR', 'CHILLER'],
    tags: ['chiller', 'equip', 'chilled', 'water'],
    description: 'Chiller',
    points: [
      p('CHWS-T', ['CHWST', 'CHW_SUP_T', 'LCHWT'], 'Chilled Water Supply Temperature', 'sensor', ['chilled', 'water', 'leaving', 'temp'], '°C', 4, 12),
      p('CHWR-T', ['CHWRT', 'CHW_RET_T', 'ECHWT'], 'Chilled Water Return Temperature', 'sensor', ['chilled', 'water', 'entering', 'temp'], '°C', 8, 18),
      p('CHWS-TSP', ['CHWSTSP', 'LCHWT-SP'], 'Chilled Water Supply Setpoint', 'sp', ['chilled', 'water', 'leaving', 'temp'], '°C', 5, 10),
      p('STS', ['STATUS', 'RUN-STS'], 'Chiller Run Status', 'sensor', ['run'], '', 0, 1),
      p('KW', ['PWR', 'KW-DEMAND'], 'Chiller Power', 'sensor', ['elec', 'power'], 'kW', 0, 1500),
      p('LOAD', ['PCT-LOAD', 'CAP'], 'Chiller Load', 'sensor', ['load'], '%', 0, 100),
    ],
  },
  {
    cls: 'boiler',
    prefix: 'BLR',
    aliases: ['BLR', 'B', 'BOILER'],
    tags: ['boiler', 'equip', 'hot', 'water'],
    description: 'Boiler',
    points: [
      p('HWS-T', ['HWST', 'HW_SUP_T'], 'Hot Water Supply Temperature', 'sensor', ['hot', 'water', 'leaving', 'temp'], '°C', 40, 90),
      p('HWR-T', ['HWRT', 'HW_RET_T'], 'Hot Water Return Temperature', 'sensor', ['hot', 'water', 'entering', 'temp'], '°C', 30, 80),
      p('HWS-TSP', ['HWSTSP', 'HW-SP'], 'Hot Water Supply Setpoint', 'sp', ['hot', 'water', 'leaving', 'temp'], '°C', 50, 85),
      p('STS', ['STATUS', 'FIRE-STS'], 'Boiler Firing Status', 'sensor', ['run'], '', 0, 1),
      p('GAS-F', ['GASF', 'GAS_FLOW'], 'Gas Flow', 'sensor', ['gas', 'flow'], 'm³/h', 0, 300),
    ],
  },
  {
    cls: 'meter',
    prefix: 'MTR',
    aliases: ['MTR', 'EM', 'METER'],
    tags: ['meter', 'equip', 'elec'],
    description: 'Electricity Meter',
    points: [
      p('KW', ['PWR', 'KW-DEMAND', 'P'], 'Active Power', 'sensor', ['elec', 'power'], 'kW', 0, 2000),
      p('KWH', ['ENERGY', 'KWH-TOT', 'E'], 'Active Energy', 'sensor', ['elec', 'energy'], 'kWh', 0, 1e7),
      p('V', ['VOLTS', 'V-LN'], 'Voltage', 'sensor', ['elec', 'volt'], 'V', 200, 250),
      p('A', ['AMPS', 'I'], 'Current', 'sensor', ['elec', 'current'], 'A', 0, 2000),
      p('PF', ['POWER-FACTOR'], 'Power Factor', 'sensor', ['elec', 'pf'], '', 0, 1),
    ],
  },
];
