"""Code lists of the household record: stable string keys (what the API speaks) and their labels.

No national numeric code table was found for these lists, so the keys are ours and never change;
the Chinese labels follow the 2014 贫困户登记表 and the 扶贫手册.
"""

STATUSES = {"not_exited": "未脱贫", "exited": "已脱贫", "returned": "返贫"}

# A3a/A3b 致贫原因: the 12 official causes.
CAUSES = {
    "illness": "因病", "disability": "因残", "education": "因学", "disaster": "因灾",
    "lack_land": "缺土地", "lack_water": "缺水", "lack_skills": "缺技术", "lack_labour": "缺劳力",
    "lack_capital": "缺资金", "poor_transport": "交通条件落后", "lack_motivation": "自身发展动力不足",
    "other": "其他",
}

POVERTY_ATTRIBUTES = {"general": "一般贫困户", "low_income": "低保贫困户", "destitute": "特困供养贫困户"}

SEXES = {"male": "男", "female": "女"}

RELATIONS = {
    "head": "户主", "spouse": "配偶", "son": "之子", "daughter": "之女", "son_in_law": "之女婿",
    "daughter_in_law": "之儿媳", "grandchild": "之孙子女", "parent": "之父母", "grandparent": "之祖父母",
    "sibling": "之兄弟姐妹", "other": "其他",
}

HEALTH = {"healthy": "健康", "chronic": "长期慢性病", "serious_illness": "患有大病", "disabled": "残疾"}

LABOUR = {"ordinary": "普通劳动力", "skilled": "技能劳动力", "weak": "弱劳动力或半劳动力",
          "lost": "丧失劳动力", "none": "无劳动力"}

SCHOOL = {"not_in_school": "非在校生", "preschool": "学前教育", "primary": "小学", "junior": "初中",
          "senior": "高中", "vocational": "中职", "higher": "大专及以上"}

# 两不愁三保障 (+ 饮水安全, which most provinces check with 不愁吃): true means assured.
INDICATORS = {"food": "不愁吃", "clothing": "不愁穿", "water": "饮水安全", "education": "义务教育有保障",
              "medical": "基本医疗有保障", "housing": "住房安全有保障"}

HELPER_LEVELS = {"province": "省直", "city": "市直", "county": "县直", "township": "乡镇", "village": "村级"}

MEASURES = {
    "industry": "产业", "employment": "就业", "relocation": "易地搬迁", "public_job": "公益岗位",
    "education": "教育", "health": "健康", "housing": "危房改造", "microcredit": "金融/小额信贷",
    "living": "生活条件", "social_security": "低保/保险", "ecology": "生态", "other": "其他",
}
